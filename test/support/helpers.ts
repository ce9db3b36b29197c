import { afterEach } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { stripTrailingCommas } from "../../.dagger/src/workspace/bunlock.ts";
import { removeAtExit } from "./cleanup.ts";

export const REPO = join(import.meta.dir, "..", "..");
export const EXAMPLE = join(REPO, "examples", "monorepo");

/** Every node_modules directory below `dir`, not descending into them. */
function nodeModulesDirs(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    if (!e.isDirectory() || e.name === ".git" || e.name === "dist") return [];
    const child = rel ? `${rel}/${e.name}` : e.name;
    return e.name === "node_modules" ? [child] : nodeModulesDirs(dir, child);
  });
}

/**
 * A private copy of a monorepo. Sources are real copies (tests edit them); installed dependencies
 * are hard links, which is fast and safe because nothing writes into them.
 */
export function copyWithLinkedModules(source: string, prefix: string): string {
  const dest = removeAtExit(mkdtempSync(join(tmpdir(), prefix)));
  cpSync(source, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => !["node_modules", "dist"].includes(basename(src)),
  });
  for (const nm of nodeModulesDirs(source)) {
    const r = spawnSync("cp", ["-al", join(source, nm), join(dest, nm)]);
    if (r.status !== 0) throw new Error(`cp -al ${nm} failed: ${r.stderr}`);
  }
  return dest;
}

/** An environment with no way out: every download goes to a port nothing listens on. */
export const OFFLINE = { HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9" };

/** A private copy of the example monorepo. */

export const copyExample = (): string => copyWithLinkedModules(EXAMPLE, "monorepo-ci-example-");

export function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

export function edit(root: string, rel: string, change: (text: string) => string): void {
  const before = readFileSync(join(root, rel), "utf8");
  const after = change(before);
  if (after === before) throw new Error(`edit of ${rel} changed nothing: the seed is stale`);
  writeFileSync(join(root, rel), after);
}

export function editJson(root: string, rel: string, change: (json: Record<string, unknown>) => void): void {
  edit(root, rel, (text) => {
    const json = JSON.parse(text) as Record<string, unknown>;
    change(json);
    return `${JSON.stringify(json, null, 2)}\n`;
  });
}

export type Run = { code: number | null; stdout: string; stderr: string };

/** Runs one of the repo's CLIs as a real process, from the repo root. */
export function runCli(script: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync("bun", [join(REPO, script), ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const check = (args: string[]) => runCli(".dagger/cli/check.ts", args);

/**
 * For a test file that edits private copies of the example: each call makes one, and every copy
 * is removed after the test that made it.
 */
export function exampleCopies(): () => string {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  return () => {
    const root = copyExample();
    roots.push(root);
    return root;
  };
}

/**
 * The control characters in `text` that a terminal would act on (line ends and tabs aside), as
 * code points: what a test expects to be empty after text has been made printable.
 */
export function controlCodes(text: string): number[] {
  return [...text]
    .map((ch) => ch.codePointAt(0) ?? 0)
    .filter((code) => (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f));
}

/**
 * Adds a workspace package at `dir` and records it in the root bun.lock, as `bun install` would
 * for a package whose dependencies are all in the workspace: no network, and the frozen-lockfile
 * installs (the engine's, compliance's) accept it.
 */
export function addWorkspacePackage(root: string, dir: string, manifest: Record<string, unknown>): void {
  write(root, `${dir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  edit(root, "bun.lock", (text) => {
    const lock = JSON.parse(stripTrailingCommas(text)) as {
      workspaces: Record<string, unknown>;
      packages: Record<string, unknown>;
    };
    const name = String(manifest.name);
    lock.workspaces[dir] = {
      name,
      version: manifest.version,
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.devDependencies ? { devDependencies: manifest.devDependencies } : {}),
    };
    lock.packages[name] = [`${name}@workspace:${dir}`];
    return `${JSON.stringify(lock, null, 2)}\n`;
  });
}
