// The repository's own linters and formatters: found from its root, or named in monorepo-ci.json.
import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { check, copyExample, write } from "../support/helpers.ts";
import { MonorepoConfig } from "../../.dagger/src/config/schema.ts";
import { chooseTools, toolTasks } from "../../.dagger/src/checks/quality/tools.ts";
import type { Workspace } from "../../.dagger/src/workspace/discover.ts";
import type { PackageManifest } from "../../.dagger/src/workspace/manifest.ts";

const workspace = (root: PackageManifest): Workspace => ({
  root,
  globs: [],
  members: [],
  manifests: [],
  excluded: [],
});
const config = (quality: unknown = {}) => MonorepoConfig.parse({ quality });
const argvs = (files: string[], root: PackageManifest = {}, quality?: unknown) =>
  toolTasks(chooseTools(config(quality), workspace(root), files)).map((t) =>
    t.kind === "exec" ? t.argv.join(" ") : `${t.kind}: ${t.label}`,
  );

describe("which tools the quality check runs", () => {
  test.each([
    [
      "ESLint and Prettier by their configs",
      ["eslint.config.js", ".prettierrc.json"],
      {},
      ["eslint . --max-warnings=0", "prettier --check ."],
    ],
    ["Biome alone: one biome ci for both", ["biome.json"], {}, ["biome ci --error-on-warnings ."]],
    ["oxlint and dprint", [".oxlintrc.json", "dprint.json"], {}, ["oxlint --deny-warnings", "dprint check"]],
    [
      "oxlint and oxfmt, configured in TypeScript",
      ["oxlint.config.ts", ".oxfmtrc.json"],
      {},
      ["oxlint --deny-warnings", "oxfmt --check"],
    ],
    [
      "tools known only from devDependencies",
      [],
      { devDependencies: { oxlint: "1.0.0", "@biomejs/biome": "2.0.0" } },
      ["biome ci --error-on-warnings .", "oxlint --deny-warnings"],
    ],
    [
      "oxlint with Biome formatting",
      [".oxlintrc.json"],
      { devDependencies: { "@biomejs/biome": "2" } },
      ["biome ci --error-on-warnings .", "oxlint --deny-warnings"],
    ],
    [
      "a prettier key in package.json",
      ["eslint.config.mjs"],
      { prettier: {} },
      ["eslint . --max-warnings=0", "prettier --check ."],
    ],
  ])("%s", (_name, files, root, want) => {
    expect(argvs(files, root as PackageManifest)).toEqual(want);
  });

  test("none found is a failing finding per kind that says how to choose", async () => {
    const tasks = toolTasks(chooseTools(config(), workspace({}), ["README.md"]));
    expect(tasks.map((t) => t.kind)).toEqual(["inline", "inline"]);
    for (const t of tasks) {
      if (t.kind !== "inline") continue;
      const { findings } = await t.run({} as never);
      expect(findings[0]?.message).toMatch(
        /^no (linter|formatter) found: add a .* or name one in monorepo-ci\.json/,
      );
    }
  });

  test("the config decides over detection, and an empty list says none, reported skipped", () => {
    expect(argvs(["eslint.config.js", ".prettierrc"], {}, { linters: ["oxlint"], formatters: [] })).toEqual([
      "oxlint --deny-warnings",
      "skip: formatter",
    ]);
  });

  test("biome as a linter only, with prettier formatting", () => {
    expect(argvs([".prettierrc"], {}, { linters: ["biome"] })).toEqual([
      "biome lint --error-on-warnings .",
      "prettier --check .",
    ]);
  });

  test("warnings fail every linter by default; quality.warnings: allow lets only errors fail", () => {
    const files = ["eslint.config.js", ".oxlintrc.json", "biome.json"];
    expect(argvs(files)).toEqual([
      "eslint . --max-warnings=0",
      "biome ci --error-on-warnings .",
      "oxlint --deny-warnings",
    ]);
    expect(argvs(files, {}, { warnings: "allow" })).toEqual(["eslint .", "biome ci .", "oxlint"]);
    expect(() => config({ warnings: "ignore" })).toThrow();
  });

  test("an unknown tool in the config is bad input", () => {
    expect(() => config({ linters: ["tslint"] })).toThrow();
  });
});

describe("a tool the repository names but has not installed", () => {
  test("fails its task saying what to add, and where", () => {
    const root = copyExample();
    try {
      write(root, "biome.json", "{}\n");
      const r = check(["quality", "--source", root, "--no-cache"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /biome ci\s+✘ failed.*biome is not installed: add @biomejs\/biome to the devDependencies of the root package\.json/,
      );
      // ESLint and Prettier, which it also configures, still run.
      expect(r.stdout).toMatch(/eslint\s+✔ passed/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
