import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { removeAtExit } from "./cleanup.ts";

/** git in `cwd`, failing the test loudly when git fails. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${r.stderr ?? r.error?.message}`);
  return r.stdout.trim();
}

/** A fresh temp dir, removed at the end of the run if the test does not remove it first. */
export function tempDir(prefix: string): string {
  return removeAtExit(mkdtempSync(join(tmpdir(), `monorepo-ci-${prefix}-`)));
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

/** A fresh repository with a fixed identity, so commits work on any machine. */
export function initRepo(dir: string, branch = "main"): string {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "--quiet", `--initial-branch=${branch}`);
  git(dir, "config", "user.email", "dev@example.com");
  git(dir, "config", "user.name", "Dev");
  git(dir, "config", "commit.gpgsign", "false");
  return dir;
}

export function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", message);
  return git(dir, "rev-parse", "HEAD");
}
