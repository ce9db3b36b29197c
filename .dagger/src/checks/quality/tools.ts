import type { MonorepoConfig } from "../../config/schema.ts";
import type { ExecTask, Task } from "../../plan/task.ts";
import type { Workspace } from "../../workspace/discover.ts";
import { dependencyNames } from "../../workspace/manifest.ts";

/**
 * The repository's own linters and formatters: whichever it configures (a config file at the
 * root, or the tool in the root package.json), or exactly what monorepo-ci.json names. Each runs
 * with the repository's config, as its own task; nothing is imposed on a repo that uses another.
 */

export const LINTERS = ["eslint", "biome", "oxlint"] as const;
export const FORMATTERS = ["prettier", "biome", "dprint", "oxfmt"] as const;
export type Linter = (typeof LINTERS)[number];
export type Formatter = (typeof FORMATTERS)[number];
type Tool = Linter | Formatter;

/** How a tool shows it is used: its config files at the root, or its npm package. */
const SIGNS: Record<Tool, { files: RegExp; pkg: string }> = {
  eslint: { files: /^(?:eslint\.config\.[cm]?[jt]s|\.eslintrc(?:\.(?:c?js|json|ya?ml))?)$/, pkg: "eslint" },
  biome: { files: /^biome\.jsonc?$/, pkg: "@biomejs/biome" },
  oxlint: { files: /^(?:\.oxlintrc\.json|oxlintrc\.json|oxlint\.config\.[cm]?[jt]s)$/, pkg: "oxlint" },
  oxfmt: { files: /^(?:\.oxfmtrc\.jsonc?|oxfmt\.config\.[cm]?[jt]s)$/, pkg: "oxfmt" },
  prettier: {
    files: /^(?:\.prettierrc(?:\.(?:json5?|ya?ml|toml|[cm]?[jt]s))?|prettier\.config\.[cm]?[jt]s)$/,
    pkg: "prettier",
  },
  dprint: { files: /^\.?dprint\.jsonc?$/, pkg: "dprint" },
};

export type ToolChoice = {
  linters: Linter[];
  formatters: Formatter[];
  /** Which lists monorepo-ci.json set: an empty one there means "none", not "not found". */
  configured: { linters: boolean; formatters: boolean };
  /** Whether the linters' warnings fail, as by default, or only their errors. */
  warnings: "fail" | "allow";
};

/** What the repository uses: the config's lists when it sets them, else what its root shows. */
export function chooseTools(config: MonorepoConfig, workspace: Workspace, rootFiles: string[]): ToolChoice {
  const deps = new Set(dependencyNames(workspace.root));
  const uses = (tool: Tool) =>
    rootFiles.some((f) => SIGNS[tool].files.test(f)) ||
    deps.has(SIGNS[tool].pkg) ||
    (tool === "prettier" && workspace.root.prettier !== undefined);
  const chosen = config.quality;
  return {
    linters: chosen.linters ?? LINTERS.filter(uses),
    formatters: chosen.formatters ?? FORMATTERS.filter(uses),
    configured: { linters: chosen.linters !== undefined, formatters: chosen.formatters !== undefined },
    warnings: chosen.warnings,
  };
}

const exec = (id: string, label: string, tool: Tool, argv: string[]): ExecTask => ({
  kind: "exec",
  id,
  label,
  cwd: ".",
  image: "bun",
  argv,
  provides: SIGNS[tool].pkg,
});

const HOW_TO_CHOOSE = {
  linters: `add a linter's config at the root (eslint.config.js, biome.json or .oxlintrc.json) and its package to the root devDependencies, or name one in monorepo-ci.json: "quality": {"linters": ["eslint"|"biome"|"oxlint"]}; "linters": [] says you use none`,
  formatters: `add a formatter's config at the root (.prettierrc, biome.json, dprint.json or .oxfmtrc.json) and its package to the root devDependencies, or name one in monorepo-ci.json: "quality": {"formatters": ["prettier"|"biome"|"dprint"|"oxfmt"]}; "formatters": [] says you use none`,
};

/**
 * One task per tool, with the repository's own config: Biome as both linter and formatter is one
 * `biome ci`. No tool of a kind is a failing finding that says how to choose one, unless the
 * config says the repository uses none (an empty list), which is reported as skipped.
 */
export function toolTasks(choice: ToolChoice): Task[] {
  const tasks: Task[] = [];
  const biomeBoth = choice.linters.includes("biome") && choice.formatters.includes("biome");
  const strict = choice.warnings === "fail";
  for (const linter of choice.linters) {
    if (linter === "eslint")
      tasks.push(
        exec("eslint", "eslint", "eslint", ["eslint", ".", ...(strict ? ["--max-warnings=0"] : [])]),
      );
    if (linter === "oxlint")
      tasks.push(exec("oxlint", "oxlint", "oxlint", ["oxlint", ...(strict ? ["--deny-warnings"] : [])]));
    if (linter === "biome") {
      const warn = strict ? ["--error-on-warnings"] : [];
      tasks.push(
        biomeBoth
          ? exec("biome", "biome ci", "biome", ["biome", "ci", ...warn, "."])
          : exec("biome-lint", "biome lint", "biome", ["biome", "lint", ...warn, "."]),
      );
    }
  }
  for (const formatter of choice.formatters) {
    if (formatter === "prettier")
      tasks.push(exec("prettier", "prettier --check", "prettier", ["prettier", "--check", "."]));
    if (formatter === "dprint") tasks.push(exec("dprint", "dprint check", "dprint", ["dprint", "check"]));
    if (formatter === "oxfmt") tasks.push(exec("oxfmt", "oxfmt --check", "oxfmt", ["oxfmt", "--check"]));
    if (formatter === "biome" && !biomeBoth)
      tasks.push(exec("biome-format", "biome format", "biome", ["biome", "format", "."]));
  }
  for (const kind of ["linters", "formatters"] as const) {
    if (choice[kind].length) continue;
    const label = kind === "linters" ? "linter" : "formatter";
    if (choice.configured[kind]) {
      tasks.push({ kind: "skip", id: label, label, reason: `monorepo-ci.json quality.${kind} is empty` });
    } else {
      tasks.push({
        kind: "inline",
        id: label,
        label,
        run: async () => ({
          findings: [{ where: "package.json", message: `no ${label} found: ${HOW_TO_CHOOSE[kind]}` }],
        }),
      });
    }
  }
  return tasks;
}

/** Each linter over only the given files (a pull request's changed ones), as the review runs it. */
export function changedFileLintTasks(linters: Linter[], files: string[]): ExecTask[] {
  const over: Record<Linter, string[]> = {
    eslint: ["eslint", "--max-warnings=0", "--no-warn-ignored", "--", ...files],
    oxlint: ["oxlint", "--deny-warnings", "--", ...files],
    biome: ["biome", "lint", "--no-errors-on-unmatched", ...files.map((f) => `./${f}`)],
  };
  return linters.map((l) => exec(`${l}-changed`, `${l} (changed files)`, l, over[l]));
}
