import { spawnSync } from "node:child_process";

export type GitResult = { ok: boolean; stdout: string; stderr: string };

/** git with an argv, never a shell, so ref names from the environment are only ever arguments. */
export function git(cwd: string, args: string[]): GitResult {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return { ok: r.status === 0, stdout: r.stdout ?? "", stderr: (r.stderr ?? r.error?.message ?? "").trim() };
}

/** A full commit id for `rev`, or undefined when it is not in this clone. */
export function resolveCommit(cwd: string, rev: string): string | undefined {
  // `--end-of-options` keeps a ref that starts with "-" from being read as an option.
  const r = git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  return r.ok ? r.stdout.trim() : undefined;
}

export function changedFiles(cwd: string, base: string): GitResult & { files: string[] } {
  const r = git(cwd, ["diff", "--name-only", "-z", "--no-renames", base, "HEAD", "--"]);
  return { ...r, files: r.ok ? r.stdout.split("\0").filter(Boolean) : [] };
}

export function fileAt(cwd: string, rev: string, path: string): string | undefined {
  const r = git(cwd, ["show", `${rev}:${path}`]);
  return r.ok ? r.stdout : undefined;
}
