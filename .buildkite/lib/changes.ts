import type { CatalogEntry } from "../../.dagger/src/catalog/schema.ts";
import { parseVersions, VERSIONS_FILE } from "../../.dagger/src/catalog/versions.ts";
import { classify, type Change } from "../../.dagger/src/changes/rules.ts";
import type { BuildContext } from "./env.ts";
import { changedFiles, fileAt, git, resolveCommit } from "./git.ts";

export type DetectedChange = { change: Change; base?: string; files: number; warnings: string[] };

const full = (why: string, warning = true): DetectedChange => ({
  change: { kind: "full", why },
  files: 0,
  warnings: warning ? [`running the full pipeline: ${why}`] : [],
});

/** Why a base could not be found; asked only after the fast path failed, so it costs nothing usually. */
function missingBaseHint(cwd: string): string {
  const inside = git(cwd, ["rev-parse", "--is-inside-work-tree", "--is-shallow-repository"]);
  if (!inside.ok) return ` (not a git work tree: ${inside.stderr})`;
  return inside.stdout.includes("true\ntrue") ? " (shallow clone)" : "";
}

/** The commit to diff against, or why there is none (then the build is full). */
function diffBase(ctx: BuildContext, cwd: string): { base: string } | { why: string } {
  if (ctx.diffBaseOverride !== undefined) {
    const base = resolveCommit(cwd, ctx.diffBaseOverride);
    return base
      ? { base }
      : {
          why: `CI_DIFF_BASE ${JSON.stringify(ctx.diffBaseOverride)} is not a commit in this clone${missingBaseHint(cwd)}`,
        };
  }
  if (ctx.kind === "default-branch") {
    const base = resolveCommit(cwd, "HEAD^");
    return base ? { base } : { why: `the previous commit is not in this clone${missingBaseHint(cwd)}` };
  }
  const target = ctx.pullRequest?.baseBranch ?? ctx.defaultBranch;
  const ref = `refs/remotes/origin/${target}`;
  const mb = git(cwd, ["merge-base", "HEAD", ref]);
  if (mb.ok) return { base: mb.stdout.trim() };
  if (!resolveCommit(cwd, ref))
    return { why: `origin/${target} is not in this clone${missingBaseHint(cwd)}` };
  return { why: `HEAD and origin/${target} have no merge base here${missingBaseHint(cwd)}` };
}

/**
 * What changed since the diff base, read from git. Every doubt (no work tree, a missing or
 * shallow base, any git error, a file no rule claims) yields the full pipeline and a warning.
 */
export function detectChange(ctx: BuildContext, cwd: string, entries: CatalogEntry[]): DetectedChange {
  if (ctx.fullBuild) return full(ctx.fullBuild, false);
  if (ctx.kind === "tag") return full(`release tag ${ctx.releaseTag}`, false);
  const found = diffBase(ctx, cwd);
  if ("why" in found) return full(found.why);
  const diff = changedFiles(cwd, found.base);
  if (!diff.ok) return full(`git diff failed: ${diff.stderr}`);
  let versions;
  if (diff.files.length === 1 && diff.files[0] === VERSIONS_FILE) {
    const before = fileAt(cwd, found.base, VERSIONS_FILE);
    const after = fileAt(cwd, "HEAD", VERSIONS_FILE);
    try {
      versions = before && after ? { before: parseVersions(before), after: parseVersions(after) } : undefined;
    } catch (error) {
      return full(`${VERSIONS_FILE} does not parse: ${(error as Error).message}`);
    }
  }
  const change = classify(diff.files, entries, versions);
  return {
    change,
    base: found.base,
    files: diff.files.length,
    warnings: change.kind === "full" ? [`running the full pipeline: ${change.why}`] : [],
  };
}
