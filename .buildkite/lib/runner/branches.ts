/**
 * Buildkite's `branches` filter: space-separated (or listed) patterns, `*` as a wildcard and `!`
 * to exclude. A branch is included when it matches a pattern and no exclusion; a filter of only
 * exclusions includes everything else.
 */
export function branchesMatch(spec: string | string[], branch: string): boolean {
  const patterns = (Array.isArray(spec) ? spec : spec.split(/\s+/)).filter(Boolean);
  const toRe = (p: string) =>
    new RegExp(
      `^${p
        .split("*")
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
  const excluded = patterns.filter((p) => p.startsWith("!")).some((p) => toRe(p.slice(1)).test(branch));
  if (excluded) return false;
  const included = patterns.filter((p) => !p.startsWith("!"));
  return included.length === 0 || included.some((p) => toRe(p).test(branch));
}
