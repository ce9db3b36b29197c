import { dependencyNames } from "../workspace/manifest.ts";
import type { Workspace, WorkspacePackage } from "../workspace/discover.ts";

/**
 * Which files a host task's result depends on: pure planning over the file list and the
 * workspace, no I/O.
 *
 * - Everything under the task's directory (for a task at the root, `eslint .`, the whole tree).
 * - Everything of the workspace packages it builds on, transitively, from its package.json.
 * - The files that configure the tools, in its directory and every directory above it up to the
 *   root: package.json, bun.lock, tsconfig*, ESLint and Prettier configs, bunfig.toml, .npmrc,
 *   monorepo-ci.json, and the files the config names (`extraConfig`).
 */

/** A file configures the tools when its name matches one of these, in the task's directory or above. */
const TOOL_CONFIG = [
  /^package\.json$/,
  /^bun\.lockb?$/,
  /^bunfig\.toml$/,
  /^\.npmrc$/,
  /^tsconfig[^/]*\.json$/,
  /^eslint\.config\.[cm]?[jt]s$/,
  /^\.eslintrc(\.[a-z]+)?$/,
  /^\.eslintignore$/,
  /^prettier\.config\.[cm]?[jt]s$/,
  /^\.prettierrc(\.[a-z0-9]+)?$/,
  /^\.prettierignore$/,
  /^\.editorconfig$/,
  /^monorepo-ci\.json$/,
];

const inside = (file: string, dir: string) => dir === "." || file.startsWith(`${dir}/`);
const parentOf = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".");
const nameOf = (file: string) => file.slice(file.lastIndexOf("/") + 1);

/** The directory and each one above it, up to the root ("."). */
function ancestors(dir: string): Set<string> {
  const out = new Set<string>(["."]);
  const parts = dir === "." ? [] : dir.split("/");
  for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("/"));
  return out;
}

/** The workspace packages `dir`'s package depends on, transitively, matched by name. */
export function workspaceDependencies(workspace: Workspace, dir: string): WorkspacePackage[] {
  const byName = new Map(
    workspace.manifests.flatMap((m) => (m.manifest.name ? [[m.manifest.name, m] as const] : [])),
  );
  const found = new Map<string, WorkspacePackage>();
  const start = workspace.manifests.find((m) => m.dir === dir);
  const visit = (pkg: WorkspacePackage) => {
    for (const name of dependencyNames(pkg.manifest)) {
      const dep = byName.get(name);
      if (!dep || found.has(dep.dir) || dep.dir === dir) continue;
      found.set(dep.dir, dep);
      visit(dep);
    }
  };
  if (start) visit(start);
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The sorted input files of a task run in `cwd`, from the source's file list. */
export function taskInputs(
  files: readonly string[],
  workspace: Workspace,
  cwd: string,
  extraConfig: readonly string[] = [],
): string[] {
  const dirs = [cwd, ...workspaceDependencies(workspace, cwd).map((p) => p.dir)];
  const above = ancestors(cwd);
  const extra = new Set(extraConfig);
  return files.filter(
    (f) =>
      dirs.some((d) => inside(f, d)) ||
      extra.has(f) ||
      (above.has(parentOf(f)) && TOOL_CONFIG.some((re) => re.test(nameOf(f)))),
  );
}
