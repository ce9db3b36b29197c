// The code review lints a pull request's changed files with the repository's own linters.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { copyExample, editJson, runCli, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const CHANGED = "packages/money/src/index.ts";
const diff = `--- a/${CHANGED}\n+++ b/${CHANGED}\n@@ -1,0 +1,1 @@\n+const unused = 1;\n`;

function reviewed(change: (root: string) => void = () => {}) {
  const root = copyExample();
  roots.push(root);
  change(root);
  write(root, "review.diff", diff);
  return runCli(".dagger/cli/review.ts", ["--diff", join(root, "review.diff"), "--source", root]);
}

describe("the code review's lint", () => {
  test("ESLint, the repository's linter, finds the problem in the changed file and requests changes", () => {
    const r = reviewed((root) => write(root, CHANGED, "const unused = 1;\nexport {};\n"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("eslint found problems in the changed files");
    expect(r.stdout).toContain("unused");
  });

  test("a repository whose linter is oxlint gets oxlint, and a missing one says what to add", () => {
    const r = reviewed((root) =>
      editJson(root, "monorepo-ci.json", (c) => {
        c.quality = { linters: ["oxlint"] };
      }),
    );
    expect(r.stdout).not.toContain("eslint");
    expect(r.stdout).toContain("oxlint found problems in the changed files");
    expect(r.stdout).toContain("add oxlint to the devDependencies of the root package.json");
  });

  test("a repository that says it uses no linter is told nothing was linted", () => {
    const r = reviewed((root) =>
      editJson(root, "monorepo-ci.json", (c) => {
        c.quality = { linters: [] };
      }),
    );
    expect(r.stdout).toContain("No linter is configured, so the changed files were not linted.");
  });
});
