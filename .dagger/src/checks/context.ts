import { loadConfig } from "../config/load.ts";
import { CONFIG_FILE, type MonorepoConfig } from "../config/schema.ts";
import { InputError } from "../errors.ts";
import type { SourceView } from "../source/view.ts";
import { discoverWorkspace, type Workspace, type WorkspacePackage } from "../workspace/discover.ts";
import { matchesPackage } from "../workspace/patterns.ts";
import { assertBunRepository } from "../workspace/package-manager.ts";
import { chooseTools, type ToolChoice } from "./quality/tools.ts";

/**
 * What every planner reads: the source, its config, its workspace, and the linters and
 * formatters it uses (chosen once, so the quality check and the package scripts agree).
 */
export type CheckContext = {
  view: SourceView;
  config: MonorepoConfig;
  workspace: Workspace;
  tools: ToolChoice;
};

export async function loadContext(view: SourceView): Promise<CheckContext> {
  const [config, discovered, files] = await Promise.all([
    loadConfig(view),
    discoverWorkspace(view),
    view.listFiles(),
  ]);
  const rootFiles = files.filter((f) => !f.includes("/"));
  assertBunRepository(new Set(rootFiles), discovered);
  packagesNamedExist(config, discovered);
  return {
    view,
    config,
    workspace: withExclusions(discovered, config),
    tools: chooseTools(config, discovered, rootFiles),
  };
}

/**
 * The members the config's `exclude` names leave every check, each kept with its reason so the
 * reports say so. An entry that matches no member is bad input: a typo would exclude nothing.
 */
function withExclusions(workspace: Workspace, config: MonorepoConfig): Workspace {
  const excluded: Workspace["excluded"] = [];
  for (const [i, entry] of config.exclude.entries()) {
    const hits = workspace.members.filter((m) => matchesPackage(entry.package, m));
    if (!hits.length) {
      throw new InputError(
        `${CONFIG_FILE}: exclude[${i}].package: "${entry.package}" matches no workspace package`,
      );
    }
    for (const pkg of hits)
      if (!excluded.some((e) => e.pkg.dir === pkg.dir)) excluded.push({ pkg, reason: entry.reason });
  }
  const out = new Set(excluded.map((e) => e.pkg.dir));
  return { ...workspace, members: workspace.members.filter((m) => !out.has(m.dir)), excluded };
}

/**
 * The settings keyed by package name apply to packages that exist: a misspelt name would
 * otherwise be ignored without a word (a coverage minimum that gates nothing, say).
 */
function packagesNamedExist(config: MonorepoConfig, workspace: Workspace): void {
  const names = new Set(workspace.manifests.flatMap((m) => (m.manifest.name ? [m.manifest.name] : [])));
  const keyed: [string, Record<string, unknown>][] = [
    ["coverage.packages", config.coverage.packages],
    ["cache.packages", config.cache.packages],
    ["cache.packageEnv", config.cache.packageEnv],
  ];
  for (const [key, byName] of keyed) {
    for (const name of Object.keys(byName)) {
      if (!names.has(name)) {
        throw new InputError(`${CONFIG_FILE}: ${key}: no workspace package is named "${name}"`);
      }
    }
  }
}

/**
 * The package at a configured path, or a config error naming the key. Any package.json counts,
 * not only root workspace members, so a config may point into a nested monorepo.
 */
export function packageAt(ctx: CheckContext, key: string, dir: string): WorkspacePackage {
  const pkg = ctx.workspace.manifests.find((m) => m.dir === dir);
  if (!pkg) throw new InputError(`${CONFIG_FILE}: ${key}: no package.json in ${dir} of ${ctx.view.name}`);
  return pkg;
}

/** The directory whose bun.lock installs a package's dependencies: its nearest ancestor with one. */
export async function installRootOf(ctx: CheckContext, dir: string): Promise<string> {
  const files = new Set(await ctx.view.listFiles());
  const parts = dir === "." ? [] : dir.split("/");
  for (let i = parts.length; i >= 0; i--) {
    const candidate = parts.slice(0, i).join("/") || ".";
    if (files.has(candidate === "." ? "bun.lock" : `${candidate}/bun.lock`)) return candidate;
  }
  throw new InputError(`${ctx.view.name}: no bun.lock at or above ${dir}`);
}

/** The package.json script that plays a role (`typecheck`, …) here: the config's name, or the role's. */
export const scriptName = (ctx: Pick<CheckContext, "config">, role: string): string =>
  (ctx.config.scriptNames as Record<string, string | undefined>)[role] ?? role;

/**
 * Why a package may lack a script: its lint is the repository's linter, which the quality check
 * runs over every package (a Biome or oxlint repo lints from the root, not per package).
 */
export function missingScriptCovered(ctx: CheckContext, script: string): string | undefined {
  const { linters } = ctx.tools;
  if (script !== "lint" || !linters.length) return undefined;
  return `no "${scriptName(ctx, script)}" script; the quality check lints it with ${linters.join(" and ")}`;
}
