// Coverage as `bun run check packages` reports and gates it, on copies of the demo: bun's own
// coverage from the tests that really run, per package, judged by monorepo-ci.json.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckReport } from "../../.dagger/src/plan/result.ts";
import { copyExample, editJson, runCli } from "../support/helpers.ts";

setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function packages(change?: (root: string) => void) {
  const root = copyExample();
  roots.push(root);
  change?.(root);
  const json = `${root}.report.json`;
  roots.push(json);
  const r = runCli(".dagger/cli/check.ts", ["packages", "--source", root, "--json", json, "--no-cache"]);
  const report = JSON.parse(readFileSync(json, "utf8")) as CheckReport;
  const test = (pkg: string) => report.tasks.find((t) => t.label === `${pkg} test`);
  return { root, r, test };
}

/** @example/strings's tests replaced by one that covers no file. */
function coverNothing(root: string): void {
  const dir = join(root, "packages/strings/src");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".test.ts"))) rmSync(join(dir, f));
  writeFileSync(
    join(dir, "alone.test.ts"),
    'import { expect, test } from "bun:test";\ntest("alone", () => expect(1).toBe(1));\n',
  );
}

/** The packages check with @example/strings's test script replaced, under an optional minimum. */
const stringsTestScript = (script: string, minimum?: Record<string, number> | 0) =>
  packages((root) => {
    editJson(root, "packages/strings/package.json", (pkg) => {
      pkg.scripts = { ...(pkg.scripts as object), test: script };
    });
    if (minimum) {
      editJson(root, "monorepo-ci.json", (cfg) => {
        cfg.coverage = { minimum };
      });
    }
  });

describe("coverage", () => {
  test("each package's test task shows its line and function coverage, in the table and --json", () => {
    const { r, test } = packages();
    expect(r.code).toBe(0);
    for (const pkg of ["@example/money", "@example/strings"]) {
      const t = test(pkg);
      expect(t?.coverage?.lines).toBeGreaterThan(0);
      expect(t?.coverage?.functions).toBeGreaterThan(0);
      expect(r.stdout).toMatch(
        new RegExp(`${pkg} test\\s+✔ passed\\s+[\\d.]+s\\s+lines [\\d.]+%, functions [\\d.]+%`),
      );
    }
  });

  test("below a package's minimum the check fails, naming the package, its coverage and the minimum", () => {
    const { r, test } = packages((root) => {
      const src = join(root, "packages/money/src/index.ts");
      writeFileSync(
        src,
        `${readFileSync(src, "utf8")}\nexport function neverCalled(): number {\n  return 42;\n}\n`,
      );
      editJson(root, "monorepo-ci.json", (cfg) => {
        cfg.coverage = { packages: { "@example/money": { functions: 100 } } };
      });
    });
    expect(r.code).toBe(1);
    const money = test("@example/money");
    expect(money?.status).toBe("failed");
    expect(money?.detail).toMatch(
      /^@example\/money: coverage lines [\d.]+%, functions [\d.]+% is below the minimum lines 0\.0%, functions 100\.0% \(monorepo-ci\.json coverage\)$/,
    );
    expect(money?.coverage?.functions).toBeLessThan(100);
    expect(test("@example/strings")?.status).toBe("passed");
  });

  test("a package whose tests cover nothing is a finding, not a pass", () => {
    const { r, test } = packages((root) => {
      coverNothing(root);
    });
    expect(r.code).toBe(1);
    expect(test("@example/strings")?.status).toBe("failed");
    expect(test("@example/strings")?.detail).toContain(
      "@example/strings: the tests passed but wrote no readable coverage (coverage/lcov.info)",
    );
  });

  test("a test that prints a fully covered table does not pass a minimum its real coverage misses", () => {
    const { r, test } = packages((root) => {
      writeFileSync(
        join(root, "packages/strings/src/liar.test.ts"),
        'import { test } from "bun:test";\ntest("prints", () => {\n  console.log("All files |  100.00 |  100.00 |");\n});\n',
      );
      editJson(root, "monorepo-ci.json", (cfg) => {
        cfg.coverage = { minimum: { lines: 90 } };
      });
    });
    expect(r.code).toBe(1);
    const strings = test("@example/strings");
    expect(strings?.status).toBe("failed");
    expect(strings?.coverage?.lines).toBeLessThan(90);
    expect(strings?.detail).toMatch(/^@example\/strings: coverage lines 6\d\.\d%/);
  });

  test("an lcov left from an earlier run never counts", () => {
    const { r, test } = packages((root) => {
      coverNothing(root);
      mkdirSync(join(root, "packages/strings/coverage"), { recursive: true });
      writeFileSync(
        join(root, "packages/strings/coverage/lcov.info"),
        "SF:src/index.ts\nFNF:1\nFNH:1\nLF:10\nLH:10\nend_of_record\n",
      );
    });
    expect(r.code).toBe(1);
    expect(test("@example/strings")?.status).toBe("failed");
    expect(test("@example/strings")?.detail).toContain("wrote no readable coverage");
  });

  test("a compound bun test script runs as written, says coverage was not measured, and fails under a minimum", () => {
    const compound = (minimum?: number) =>
      stringsTestScript("bun test && echo after-the-tests", minimum && { lines: minimum });
    const plain = compound();
    expect(plain.r.code).toBe(0);
    const t = plain.test("@example/strings");
    expect(t?.status).toBe("passed");
    expect(t?.detail).toContain(
      "coverage not measured: the test script `bun test && echo after-the-tests` is compound",
    );
    expect(plain.r.stdout + plain.r.stderr).not.toContain("after-the-tests --coverage");
    const gated = compound(50);
    expect(gated.r.code).toBe(1);
    expect(gated.test("@example/strings")?.status).toBe("failed");
    expect(gated.test("@example/strings")?.detail).toContain("(monorepo-ci.json coverage sets a minimum)");
  });

  test("a test runner whose coverage cannot be read passes as not measured, and fails under a minimum", () => {
    const other = (minimum?: number) =>
      stringsTestScript("node --test --test-reporter=dot", minimum && { functions: minimum });
    const plain = other();
    const t = plain.test("@example/strings");
    expect(t?.status).toBe("passed");
    expect(t?.detail).toContain(
      "coverage not measured: the test script `node --test --test-reporter=dot` runs neither bun test, Vitest nor Jest",
    );
    const gated = other(10);
    expect(gated.r.code).toBe(1);
    expect(gated.test("@example/strings")?.status).toBe("failed");
  });

  test("a minimum that is not a percentage is bad input, naming the key", () => {
    const root = copyExample();
    roots.push(root);
    editJson(root, "monorepo-ci.json", (cfg) => {
      cfg.coverage = { minimum: { lines: 120 } };
    });
    const r = runCli(".dagger/cli/check.ts", ["packages", "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("coverage.minimum.lines");
  });
});
