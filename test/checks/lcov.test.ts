import { expect, test } from "bun:test";
import { coverageFromOutput, mergeLcov } from "../../.dagger/src/test-coverage/coverage.ts";

test("merged lcov: every SF path from the source root, records kept whole and in order", () => {
  const merged = mergeLcov([
    { dir: "packages/money", lcov: "TN:\nSF:src/index.ts\nLF:2\nLH:1\nend_of_record\n" },
    { dir: ".", lcov: "SF:scripts/a.ts\nLF:1\nLH:1\nend_of_record" },
  ]);
  expect(merged).toBe(
    "TN:\nSF:packages/money/src/index.ts\nLF:2\nLH:1\nend_of_record\nSF:scripts/a.ts\nLF:1\nLH:1\nend_of_record\n",
  );
});

test("coverage is read from bun's All files row, and its absence is undefined", () => {
  const table =
    "File      | % Funcs | % Lines |\nAll files |   50.00 |   87.50 |\n src/a.ts |   50.00 |   87.50 |\n";
  expect(coverageFromOutput(`1 pass\n${table}`)).toEqual({ functions: 50, lines: 87.5 });
  expect(coverageFromOutput("1 pass\n0 fail\n")).toBeUndefined();
});
