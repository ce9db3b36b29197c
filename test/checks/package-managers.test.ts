// A pnpm, npm or Yarn repository is refused with what to do, never run with the wrong manager.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { check, copyExample, editJson, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const example = () => {
  const root = copyExample();
  roots.push(root);
  return root;
};

describe("another package manager's repository", () => {
  test.each(["pnpm-lock.yaml", "package-lock.json", "yarn.lock"])(
    "%s without bun.lock is bad input naming it and the migration page: exit 2",
    (lockfile) => {
      const root = example();
      rmSync(join(root, "bun.lock"));
      write(root, lockfile, "lockfileVersion: '9.0'\n");
      for (const key of ["compliance", "ci"]) {
        const r = check([key, "--source", root]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${lockfile}: this repository is installed with another package manager`);
        expect(r.stderr).toContain("bun install");
        expect(r.stderr).toContain("docs/package-managers.md");
        expect(r.stdout).toBe("");
      }
    },
  );

  test("pnpm-workspace.yaml without package.json workspaces is bad input saying where bun looks", () => {
    const root = example();
    editJson(root, "package.json", (m) => {
      delete m.workspaces;
    });
    write(root, "pnpm-workspace.yaml", "packages:\n  - packages/*\n");
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'pnpm-workspace.yaml: bun reads the workspace from "workspaces" in package.json',
    );
  });

  test("a checked script that calls pnpm, npx or yarn is a finding naming the package and the script", () => {
    const root = example();
    editJson(root, "package.json", (m) => {
      (m.scripts as Record<string, string>).build = "pnpm -r build";
    });
    editJson(root, "packages/money/package.json", (m) => {
      (m.scripts as Record<string, string>).lint = "npx eslint src";
    });
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('package.json: the "build" script calls pnpm, which monorepo-ci does not run');
    expect(r.stdout).toContain('packages/money/package.json: the "lint" script calls npx');
  });

  test("a checked script that calls another manager through the scripts it runs is found there", () => {
    const root = example();
    editJson(root, "package.json", (m) => {
      const scripts = m.scripts as Record<string, string>;
      scripts.lint = "bun run lint:all && bun run lint:other";
      scripts["lint:all"] = "npm run lint --workspaces --if-present";
      scripts["lint:other"] = "bun run lint:all";
      scripts.unrelated = "yarn something";
    });
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('package.json: the "lint:all" script calls npm');
    // A script no checked script runs is the repository's own business.
    expect(r.stdout).not.toContain('"unrelated"');
  });

  test("a packageManager naming another manager is a finding that says which bun to name", () => {
    const root = example();
    editJson(root, "package.json", (m) => {
      m.packageManager = "pnpm@10.14.0";
    });
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /package\.json: "packageManager" is "pnpm@10\.14\.0".*set it to "bun@\d+\.\d+\.\d+"/,
    );
    editJson(root, "package.json", (m) => {
      m.packageManager = "bun@1.4.5";
    });
    expect(check(["compliance", "--source", root]).code).toBe(0);
  });

  test('"private": "true", as npm reads it, is a private package, not bad input', () => {
    const root = example();
    editJson(root, "package.json", (m) => {
      m.private = "true";
    });
    expect(check(["compliance", "--source", root]).code).toBe(0);
  });

  test("a migrated repository, with its old lockfile still there, is accepted", () => {
    const root = example();
    write(root, "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    expect(check(["compliance", "--source", root]).code).toBe(0);
  });
});
