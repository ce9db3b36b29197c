import type { CoverageSettings } from "../config/schema.ts";
import { CONFIG_FILE } from "../config/schema.ts";
import type { TaskResult } from "../plan/result.ts";

/**
 * Test coverage, read the same way in both executors: from the lcov file bun writes to the
 * package's `coverage/` (removed before each run, so an old one never counts), never from what
 * the tests print, which a test controls. Gated by `coverage.minimum` in monorepo-ci.json,
 * globally and per package.
 */
export type CoverageSummary = { lines: number; functions: number };

/** Where a test task's reports go, relative to its package. */
export const COVERAGE_DIR = "coverage";
/** The lcov file a covered test run writes, relative to its package. */
export const LCOV_FILE = `${COVERAGE_DIR}/lcov.info`;
/** What `bun run test` gets appended when the script is `bun test`: both reporters. */
export const COVERAGE_ARGS = [
  "--coverage",
  "--coverage-reporter=text",
  "--coverage-reporter=lcov",
  `--coverage-dir=${COVERAGE_DIR}`,
];

/**
 * Whether the flags appended to `bun run test` reach `bun test`: only when the script is one
 * plain `bun test …` command. In `bun test && echo done` they would land on `echo`.
 */
export function plainBunTest(script: string): boolean {
  return /^bun test(\s|$)/.test(script) && !/[;&|`\n]|\$\(/.test(script);
}

/** One command, nothing chained: appended flags reach that command, and only it. */
const isPlain = (script: string) => !/[;&|`\n<>]|\$\(/.test(script);

const VITEST_PROVIDERS = ["@vitest/coverage-v8", "@vitest/coverage-istanbul"];

/**
 * How a package's test script reports coverage, from the runner it calls: the flags that make
 * bun test, Vitest or Jest write lcov to COVERAGE_DIR, or why its coverage cannot be measured
 * (another runner, a compound script, Vitest without a coverage provider). `deps` are the
 * package's and the root's dependency names.
 */
export function coveragePlan(
  script: string,
  deps: ReadonlySet<string>,
): { args: string[] } | { unmeasured: string } {
  if (plainBunTest(script)) return { args: COVERAGE_ARGS };
  const runner = /^(?:bunx\s+)?(bun test|vitest|jest)(?=[\s;&|]|$)/.exec(script)?.[1];
  if (runner && !isPlain(script)) {
    return {
      unmeasured: `the test script \`${script}\` is compound, so coverage flags would not reach ${runner}; make "test" one plain \`${runner} …\` command and move the rest to another script`,
    };
  }
  if (runner === "vitest") {
    if (!VITEST_PROVIDERS.some((p) => deps.has(p))) {
      return {
        unmeasured: `Vitest measures coverage with a provider: add @vitest/coverage-v8 (or @vitest/coverage-istanbul) to the devDependencies`,
      };
    }
    return {
      args: [
        "--coverage.enabled=true",
        "--coverage.reporter=lcov",
        `--coverage.reportsDirectory=${COVERAGE_DIR}`,
      ],
    };
  }
  if (runner === "jest") {
    return { args: ["--coverage", "--coverageReporters=lcov", `--coverageDirectory=${COVERAGE_DIR}`] };
  }
  return {
    unmeasured: `the test script \`${script}\` runs neither bun test, Vitest nor Jest as one plain command, so its coverage cannot be read`,
  };
}

const COUNT = /^(LF|LH|FNF|FNH):(\d+)$/;

/**
 * Line and function coverage over every record of an lcov file. Anything that does not add up
 * (a count that is not a whole number, more hit than found, no lines at all) is no coverage.
 */
export function coverageFromLcov(text: string): CoverageSummary | undefined {
  const total = { LF: 0, LH: 0, FNF: 0, FNH: 0 };
  let records = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "end_of_record") records++;
    if (!/^(LF|LH|FNF|FNH):/.test(line)) continue;
    const m = COUNT.exec(line);
    if (!m) return undefined;
    total[m[1] as keyof typeof total] += Number(m[2]);
  }
  if (!records || total.LF === 0 || total.LH > total.LF || total.FNH > total.FNF) return undefined;
  const lines = (total.LH / total.LF) * 100;
  const functions = total.FNF ? (total.FNH / total.FNF) * 100 : 100;
  return Number.isFinite(lines) && Number.isFinite(functions) ? { lines, functions } : undefined;
}

const pct = (n: number) => `${n.toFixed(1)}%`;

/**
 * A passed test task's result with its coverage judged: no data from a run that was asked for
 * it is a finding; coverage that cannot be measured (a compound script) passes saying so, and
 * fails under a minimum; below the minimum fails, naming the package, its coverage and the
 * minimum; otherwise it passes, showing its coverage.
 */
export function judgeCoverage(
  result: TaskResult,
  summary: CoverageSummary | undefined,
  pkg: string,
  settings: CoverageSettings,
  /** Why coverage could not be measured at all (a compound test script). */
  unmeasured?: string,
): TaskResult {
  if (result.status !== "passed") return result;
  const min = { ...settings.minimum, ...settings.packages[pkg] };
  if (unmeasured) {
    const gated = min.lines > 0 || min.functions > 0;
    return {
      ...result,
      ...(gated && { status: "failed" as const }),
      detail: `${pkg}: coverage not measured: ${unmeasured}${gated ? ` (${CONFIG_FILE} coverage sets a minimum)` : ""}`,
    };
  }
  if (!summary) {
    return {
      ...result,
      status: "failed",
      detail: `${pkg}: the tests passed but wrote no readable coverage (${LCOV_FILE})`,
    };
  }
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
