import { z } from "zod";

/**
 * Names that reach git as arguments. Each is checked where it enters (config, CLI flag, env),
 * so none can start with "-" and be read as an option, whatever git call it ends up in; the
 * calls also put `--end-of-options` before them where git allows it.
 */

/** A configured remote's name, as `git remote add` accepts it: no "-" first, no slashes or space. */
export const GitRemoteName = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'a remote name such as "origin" (letters, digits, ".", "_", "-"; not "-" first)',
  )
  .refine((name) => !name.endsWith(".") && !name.endsWith(".lock"), "not a valid remote name");

/** git check-ref-format's rules for a branch name (man git-check-ref-format), and no "-" first. */
export function branchNameProblem(name: string): string | undefined {
  if (!name) return "is empty";
  if (name.startsWith("-")) return 'starts with "-"';
  if (name === "@") return 'is "@"';
  const control = [...name].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);
  if (control || /[~^:?*[\\]/.test(name)) return "has a space, a control character or one of ~^:?*[\\";
  if (name.includes("..")) return 'has ".."';
  if (name.includes("@{")) return 'has "@{"';
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return "has an empty path component";
  if (name.endsWith(".")) return 'ends with "."';
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return 'has a component starting with "."';
    if (part.endsWith(".lock")) return 'has a component ending with ".lock"';
  }
  return undefined;
}

export const GitBranchName = z.string().superRefine((name, ctx) => {
  const problem = branchNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: `not a valid branch name: ${problem}` });
});
