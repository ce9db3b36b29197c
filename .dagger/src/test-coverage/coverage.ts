import type { CoverageSettings } from "../config/schema.ts";
import { CONFIG_FILE } from "../config/schema.ts";
import type { TaskResult } from "../plan/result.ts";

/**
 * Test coverage, read the same way in both executors: from bun's text reporter, whose "All files"
 * row the test task prints (its lcov goes to the package's `coverage/` for tools and artifacts),
 * and gated by `coverage.minimum` in monorepo-ci.json, globally and per package.
 */
export type CoverageSummary = { lines: number; functions: number };

/** Where a test task's reports go, relative to its package. */
export const COVERAGE_DIR = "coverage";
/** What `bun run test` gets appended when the script is `bun test`: both reporters. */
export const COVERAGE_ARGS = [
  "--coverage",
  "--coverage-reporter=text",
  "--coverage-reporter=lcov",
  `--coverage-dir=${COVERAGE_DIR}`,
];

const ALL_FILES = /^All files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|/m;

/** The "All files" row of bun's text coverage table, or undefined when there is none. */
export function coverageFromOutput(output: string): CoverageSummary | undefined {
  const m = ALL_FILES.exec(output);
  return m ? { functions: Number(m[1]), lines: Number(m[2]) } : undefined;
}

const pct = (n: number) => `${n.toFixed(1)}%`;

/**
 * A passed test task's result with its coverage judged: no data is a finding (a package with
 * tests must report coverage); below the minimum fails, naming the package, its coverage and the
 * minimum; otherwise it passes, showing its coverage.
 */
export function judgeCoverage(
  result: TaskResult,
  summary: CoverageSummary | undefined,
  pkg: string,
  settings: CoverageSettings,
): TaskResult {
  if (result.status !== "passed") return result;
  if (!summary) {
    return {
      ...result,
      status: "failed",
      detail: `${pkg}: the tests passed but printed no coverage (bun test --coverage found no covered files)`,
    };
  }
  const min = { ...settings.minimum, ...settings.packages[pkg] };
  const shown = `lines ${pct(summary.lines)}, functions ${pct(summary.functions)}`;
  if (summary.lines < min.lines || summary.functions < min.functions) {
    return {
      ...result,
      coverage: summary,
      status: "failed",
      detail: `${pkg}: coverage ${shown} is below the minimum lines ${pct(min.lines)}, functions ${pct(min.functions)} (${CONFIG_FILE} coverage)`,
    };
  }
  return { ...result, coverage: summary, detail: shown };
}

/**
 * Several packages' lcov as one, with every `SF:` path made relative to the source root (bun
 * writes them relative to the package), so tools read the merged file from the repository root.
 */
export function mergeLcov(reports: { dir: string; lcov: string }[]): string {
  return reports
    .map(({ dir, lcov }) =>
      lcov
        .split("\n")
        .map((line) => (line.startsWith("SF:") && dir !== "." ? `SF:${dir}/${line.slice(3)}` : line))
        .join("\n")
        .trimEnd(),
    )
    .filter(Boolean)
    .join("\n")
    .concat("\n");
}
