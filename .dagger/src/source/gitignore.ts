import { readFileSync } from "node:fs";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";

/** One `.gitignore` and the directory its patterns are relative to. */
export type IgnoreRules = { base: string; matcher: Ignore };

/** The `.gitignore` of `dir` (relative to `root`), or undefined when it has none. */
export function readIgnoreRules(root: string, dir: string): IgnoreRules | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, dir, ".gitignore"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${join(dir, ".gitignore")}: ${(error as Error).message}`, { cause: error });
  }
  // Git on Linux matches case-sensitively (core.ignorecase=false); the library defaults to ignoring case.
  return { base: dir, matcher: ignore({ ignorecase: false }).add(text) };
}

/**
 * Git's rule: the deepest `.gitignore` with a matching pattern decides, and a negation (`!x`)
 * there re-includes. `rules` run from the root down.
 */
export function isIgnored(rules: IgnoreRules[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, matcher } of rules) {
    const rel = base ? path.slice(base.length + 1) : path;
    const verdict = matcher.test(isDir ? `${rel}/` : rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}
