import { posix } from "node:path";
import picomatch from "picomatch";
import { workspaceDependencies } from "../workspace/graph.ts";
import type { Workspace } from "../workspace/discover.ts";

/**
 * Which files a host task's result depends on: pure planning over the file list and the
 * workspace (and, for tsconfig `extends`, a reader), no other I/O.
 *
 * - Everything under the task's directory (for a task at the root, `eslint .`, the whole tree).
 * - Everything of the workspace packages it builds on, transitively, from its package.json.
 * - The files that configure the tools, in its directory and every directory above it up to the
 *   root: package.json, bun.lock, tsconfig*, ESLint and Prettier configs, bunfig.toml, .npmrc,
 *   monorepo-ci.json, and the files the config names (`extraConfig`).
 * - The files those tsconfigs extend by path, wherever they are, transitively.
 * - The files the task declares it reads (`cache.tasks`/`cache.packages` `inputs`, globs from
 *   the root).
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

const parentOf = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".");
const nameOf = (file: string) => file.slice(file.lastIndexOf("/") + 1);

/** The directory and each one above it, up to the root ("."). */
function ancestors(dir: string): Set<string> {
  const out = new Set<string>(["."]);
  const parts = dir === "." ? [] : dir.split("/");
  for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join("/"));
  return out;
}

/** The first index in sorted `files` at which `prefix` would go. */
function lowerBound(files: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((files[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byParent = new WeakMap<readonly string[], Map<string, string[]>>();

/** The files directly in `dir`, from an index of the list made once. */
function directly(files: readonly string[], dir: string): string[] {
  let index = byParent.get(files);
  if (!index) {
    index = new Map();
    for (const f of files) {
      const parent = parentOf(f);
      const list = index.get(parent);
      if (list) list.push(f);
      else index.set(parent, [f]);
    }
    byParent.set(files, index);
  }
  return index.get(dir) ?? [];
}

/** Every file under `dir`: one contiguous run of the sorted list. */
function under(files: readonly string[], dir: string): string[] {
  if (dir === ".") return [...files];
  const prefix = `${dir}/`;
  const out: string[] = [];
  for (let i = lowerBound(files, prefix); i < files.length && (files[i] as string).startsWith(prefix); i++)
    out.push(files[i] as string);
  return out;
}

/**
 * The sorted input files of a task run in `cwd`, from the source's sorted file list. Each
 * directory's files are found by binary search, so a 200-package workspace costs little.
 */
export function taskInputs(
  files: readonly string[],
  workspace: Workspace,
  cwd: string,
  extraConfig: readonly string[] = [],
): string[] {
  const found = new Set<string>();
  for (const d of [cwd, ...workspaceDependencies(workspace, cwd).map((p) => p.dir)]) {
    for (const f of under(files, d)) found.add(f);
  }
  const known = new Set(files);
  for (const f of extraConfig) if (known.has(f)) found.add(f);
  for (const dir of ancestors(cwd)) {
    for (const f of directly(files, dir)) if (TOOL_CONFIG.some((re) => re.test(nameOf(f)))) found.add(f);
  }
  return [...found].sort();
}

/** The paths a tsconfig's `extends` names (a string or a list), read without a JSONC parser. */
function extendsOf(text: string): string[] {
  const m = /"extends"\s*:\s*(?:"([^"]*)"|\[([^\]]*)\])/.exec(text);
  if (!m) return [];
  return m[1] !== undefined ? [m[1]] : [...(m[2] ?? "").matchAll(/"([^"]*)"/g)].map((x) => x[1] as string);
}

/**
 * Every tsconfig the given ones extend by a relative path, transitively. A package name
 * (`@tsconfig/node20`) lives in node_modules, which bun.lock already covers.
 */
export function tsconfigExtends(
  found: Iterable<string>,
  known: ReadonlySet<string>,
  read: (file: string) => string | undefined,
): string[] {
  const out = new Set<string>();
  const queue = [...found].filter((f) => /(^|\/)tsconfig[^/]*\.json$/.test(f));
  while (queue.length) {
    const file = queue.pop() as string;
    for (const ext of extendsOf(read(file) ?? "")) {
      if (!ext.startsWith(".")) continue;
      const base = posix.normalize(posix.join(parentOf(file), ext));
      const target = [base, `${base}.json`].find((f) => known.has(f));
      if (target && !out.has(target)) {
        out.add(target);
        queue.push(target);
      }
    }
  }
  return [...out];
}

/** The files of the list that the task's declared input globs match. */
export function declaredInputs(files: readonly string[], globs: readonly string[]): string[] {
  if (!globs.length) return [];
  const match = picomatch([...globs], { dot: true });
  return files.filter((f) => match(f));
}
