import { describe, expect, test } from "bun:test";
import {
  coverageFromLcov,
  coveragePlan,
  mergeLcov,
  plainBunTest,
} from "../../.dagger/src/test-coverage/coverage.ts";

test("merged lcov: every SF path from the source root, records kept whole and in order", () => {
  const merged = mergeLcov([
    { dir: "packages/money", lcov: "TN:\nSF:src/index.ts\nLF:2\nLH:1\nend_of_record\n" },
    { dir: ".", lcov: "SF:scripts/a.ts\nLF:1\nLH:1\nend_of_record" },
  ]);
  expect(merged).toBe(
    "TN:\nSF:packages/money/src/index.ts\nLF:2\nLH:1\nend_of_record\nSF:scripts/a.ts\nLF:1\nLH:1\nend_of_record\n",
  );
});

test("coverage is summed over every record of the lcov file", () => {
  const lcov =
    "TN:\nSF:a.ts\nFNF:3\nFNH:2\nLF:19\nLH:13\nend_of_record\nSF:b.ts\nFNF:1\nFNH:1\nLF:1\nLH:1\nend_of_record\n";
  expect(coverageFromLcov(lcov)).toEqual({ functions: 75, lines: 70 });
  // No functions to cover is full function coverage; lines must exist.
  expect(coverageFromLcov("SF:a.ts\nLF:2\nLH:1\nend_of_record\n")).toEqual({ functions: 100, lines: 50 });
});

test.each([
  ["nothing at all", ""],
  ["what a test printed instead", "All files |  100.00 |  100.00 |\n"],
  ["a count that is not a whole number", "SF:a.ts\nLF:NaN\nLH:1\nend_of_record\n"],
  ["a negative count", "SF:a.ts\nLF:-4\nLH:1\nend_of_record\n"],
  ["a fraction", "SF:a.ts\nLF:2.5\nLH:1\nend_of_record\n"],
  ["more lines hit than found", "SF:a.ts\nLF:2\nLH:3\nend_of_record\n"],
  ["more functions hit than found", "SF:a.ts\nFNF:1\nFNH:2\nLF:2\nLH:2\nend_of_record\n"],
  ["no lines found", "SF:a.ts\nLF:0\nLH:0\nend_of_record\n"],
  ["a record never closed", "SF:a.ts\nLF:2\nLH:2\n"],
])("%s is no coverage", (_, lcov) => {
  expect(coverageFromLcov(lcov)).toBeUndefined();
});

test("coverage flags are appended only to one plain bun test command", () => {
  for (const s of ["bun test", "bun test --timeout 5000", "bun test src/"])
    expect(plainBunTest(s)).toBe(true);
  for (const s of [
    "bun test && echo done",
    "bun test; true",
    "bun test | tee log",
    "bun test || exit 0",
    "bun test $(ls)",
    "vitest run",
  ]) {
    expect(plainBunTest(s)).toBe(false);
  }
});

describe("how a test script's coverage is read, by its runner", () => {
  const none = new Set<string>();
  test.each([
    ["bun test", none, "--coverage-reporter=lcov"],
    ["vitest run", new Set(["@vitest/coverage-v8"]), "--coverage.reporter=lcov"],
    ["vitest --run src", new Set(["@vitest/coverage-istanbul"]), "--coverage.reportsDirectory=coverage"],
    ["jest", none, "--coverageReporters=lcov"],
    ["bunx jest --ci", none, "--coverageDirectory=coverage"],
  ])("%s gets the flags that write coverage/lcov.info", (script, deps, flag) => {
    const plan = coveragePlan(script, deps);
    expect("args" in plan && plan.args).toContain(flag);
  });

  test.each([
    ["vitest run", none, "add @vitest/coverage-v8"],
    [
      "vitest run && echo done",
      new Set(["@vitest/coverage-v8"]),
      "is compound, so coverage flags would not reach vitest",
    ],
    ["jest; true", none, "is compound, so coverage flags would not reach jest"],
    ["node --test", none, "runs neither bun test, Vitest nor Jest"],
    ["mocha", none, "runs neither bun test, Vitest nor Jest"],
  ])("%s is unmeasured, saying why", (script, deps, why) => {
    const plan = coveragePlan(script, deps);
    expect("unmeasured" in plan && plan.unmeasured).toContain(why);
  });
});
