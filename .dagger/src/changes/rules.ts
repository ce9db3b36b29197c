import picomatch from "picomatch";
import type { CatalogEntry, ImageName } from "../catalog/schema.ts";
import { VERSIONS_FILE, type Versions } from "../catalog/versions.ts";

/** Prose: a change made only of these is docs-only. */
export const DOC_GLOBS = ["**/*.md", "**/*.mdx", "docs/**", "LICENSE*", "CHANGELOG*"];

/**
 * Globs compiled once to plain regular expressions: picomatch's own matcher normalises every
 * path on every call, which dominates on a 5,000-file diff.
 */
const matcher = (globs: string[]) => {
  const re = (g: string) => picomatch.makeRe(g, { dot: true });
  const include = globs.filter((g) => !g.startsWith("!")).map(re);
  const exclude = globs.filter((g) => g.startsWith("!")).map((g) => re(g.slice(1)));
  return (file: string) => include.some((r) => r.test(file)) && !exclude.some((r) => r.test(file));
};

const isDoc = matcher(DOC_GLOBS);

const matchers = new WeakMap<CatalogEntry, (file: string) => boolean>();

/** The changed files an entry's `paths` claim. Matchers are compiled once per entry. */
export function claimedBy(entry: CatalogEntry, files: string[]): string[] {
  let matches = matchers.get(entry);
  if (!matches) matchers.set(entry, (matches = matcher(entry.paths)));
  return files.filter((f) => matches(f));
}

/** Image keys whose pinned reference differs between two versions.json. */
export function changedImages(before: Versions, after: Versions): ImageName[] {
  const keys = new Set([...Object.keys(before.images), ...Object.keys(after.images)]) as Set<ImageName>;
  return [...keys].filter((k) => before.images[k] !== after.images[k]).sort();
}

/**
 * The two fast paths (versions-only, docs-only) are the only changes that skip checks; any other
 * change runs them all, because a code path rule that is wrong would hide a failure.
 */
export type Change =
  | { kind: "full"; why: string }
  | { kind: "versions-only"; images: ImageName[] }
  | { kind: "docs-only"; files: string[] }
  | { kind: "code"; files: string[] };

export type Decision = { key: string; included: boolean; reason: string };

/**
 * What a set of changed files means for the checks. Anything doubtful becomes a full build:
 * an empty diff, or a file that no entry's paths claim.
 */
export function classify(
  files: string[],
  entries: CatalogEntry[],
  versions?: { before: Versions; after: Versions },
): Change {
  if (!files.length) return { kind: "full", why: "the diff is empty, so nothing can be ruled out" };
  if (files.length === 1 && files[0] === VERSIONS_FILE) {
    if (!versions)
      return { kind: "full", why: `${VERSIONS_FILE} changed but its old version could not be read` };
    return { kind: "versions-only", images: changedImages(versions.before, versions.after) };
  }
  // An entry whose paths are "**" claims every file, so no file can be unclaimed; skipping the
  // scan keeps a 5,000-file diff cheap.
  const catchAll = entries.some((e) => e.paths.length === 1 && e.paths[0] === "**");
  const unclaimed = catchAll
    ? []
    : files.filter((f) => f !== VERSIONS_FILE && !entries.some((e) => claimedBy(e, [f]).length));
  if (unclaimed.length) {
    return {
      kind: "full",
      why: `no rule claims ${unclaimed.slice(0, 3).join(", ")}${unclaimed.length > 3 ? ", …" : ""}`,
    };
  }
  return files.every((f) => isDoc(f)) ? { kind: "docs-only", files } : { kind: "code", files };
}

const sample = (files: string[]) =>
  `${files.slice(0, 2).join(", ")}${files.length > 2 ? `, +${files.length - 2} more` : ""}`;

/** Included or skipped, and why, for each check and for the aggregate. */
export function decide(change: Change, entries: CatalogEntry[]): Decision[] {
  const checks = entries.filter((e) => e.kind === "check");
  const decisions: Decision[] = checks.map((e) => {
    switch (change.kind) {
      case "full":
        return { key: e.key, included: true, reason: `full build: ${change.why}` };
      case "versions-only": {
        const hit = e.images.filter((i) => change.images.includes(i));
        return hit.length
          ? { key: e.key, included: true, reason: `versions-only change: pinned ${hit.join(", ")} changed` }
          : {
              key: e.key,
              included: false,
              reason: "versions-only change: none of its pinned images changed",
            };
      }
      case "code":
        return { key: e.key, included: true, reason: `code change: ${sample(change.files)}` };
      case "docs-only": {
        const claimed = claimedBy(e, change.files);
        return claimed.length
          ? { key: e.key, included: true, reason: `docs-only change, and it reads ${sample(claimed)}` }
          : { key: e.key, included: false, reason: "docs-only change: no doc affects it" };
      }
    }
  });
  for (const agg of entries.filter((e) => e.kind === "aggregate")) {
    const any = decisions.some((d) => d.included && agg.dependsOn.includes(d.key));
    const included = any || change.kind === "versions-only";
    decisions.push({
      key: agg.key,
      included,
      reason: included ? "aggregates the checks and builds the workspace" : "no check it aggregates runs",
    });
  }
  return decisions;
}
