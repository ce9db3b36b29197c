// A missing or stub script never reports as passed work: a package without a lint script is
// linted by the repository's linter (and said so), and a stub fails until it is exempted.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CheckReport } from "../../.dagger/src/plan/result.ts";
import { renderBaseline } from "../../.dagger/src/checks/quality/suppressions.ts";
import { jsonIndentOf } from "../../.dagger/src/text/json-indent.ts";
import { check, copyExample, editJson } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const example = () => {
  const root = copyExample();
  roots.push(root);
  return root;
};

function packagesReport(root: string): { code: number | null; report: CheckReport } {
  const out = join(root, "..", `${root.split("/").pop()}-packages.json`);
  roots.push(out);
  const r = check(["packages", "--source", root, "--json", out, "--no-cache"]);
  return { code: r.code, report: JSON.parse(readFileSync(out, "utf8")) as CheckReport };
}

const task = (report: CheckReport, label: string) => report.tasks.find((t) => t.label === label);

describe("a package without a lint script", () => {
  test("is linted by the repository's linter: skipped with why, and compliance accepts it", () => {
    const root = example();
    editJson(root, "packages/money/package.json", (m) => {
      delete (m.scripts as Record<string, string>).lint;
    });
    expect(check(["compliance", "--source", root]).code).toBe(0);
    const { code, report } = packagesReport(root);
    expect(code).toBe(0);
    expect(task(report, "@example/money lint")).toMatchObject({
      status: "skipped",
      detail: expect.stringContaining('no "lint" script; the quality check lints it with eslint'),
    });
  });

  test("fails where the repository says it uses no linter: nothing else lints it", () => {
    const root = example();
    editJson(root, "packages/money/package.json", (m) => {
      delete (m.scripts as Record<string, string>).lint;
    });
    editJson(root, "monorepo-ci.json", (c) => {
      c.quality = { linters: [] };
    });
    const compliance = check(["compliance", "--source", root]);
    expect(compliance.code).toBe(1);
    expect(compliance.stdout).toContain('has no "lint" script; add one, or exempt it');
    const { code, report } = packagesReport(root);
    expect(code).toBe(1);
    expect(task(report, "@example/money lint")?.status).toBe("failed");
  });
});

describe("a root test runner for every package", () => {
  test('one exemption with "package": "**" covers every package without a test script', () => {
    const root = example();
    const dirs = ["money", "strings"];
    for (const dir of dirs) {
      editJson(root, `packages/${dir}/package.json`, (m) => {
        delete (m.scripts as Record<string, string>).test;
      });
    }
    expect(check(["compliance", "--source", root]).code).toBe(1);
    editJson(root, "monorepo-ci.json", (c) => {
      c.exemptions = [
        { package: "**", script: "test", reason: "the root Vitest runs every package's tests" },
      ];
    });
    expect(check(["compliance", "--source", root]).code).toBe(0);
    const { code, report } = packagesReport(root);
    expect(code).toBe(0);
    for (const name of ["@example/money", "@example/strings"]) {
      expect(task(report, `${name} test`)).toMatchObject({
        status: "skipped",
        detail: "exempt: the root Vitest runs every package's tests",
      });
    }
  });
});

describe("a stub script", () => {
  test("that is not exempt fails the packages check too: it checked nothing", () => {
    const root = example();
    editJson(root, "packages/money/package.json", (m) => {
      (m.scripts as Record<string, string>).test = "echo 'No tests yet'";
    });
    const { code, report } = packagesReport(root);
    expect(code).toBe(1);
    expect(task(report, "@example/money test")).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("1 problem"),
    });
    const shown = check(["packages", "--source", root, "--no-cache"]);
    expect(shown.stdout).toContain(`"test" is a no-op stub ("echo 'No tests yet'"): nothing was checked`);
  });
});

describe("the suppression baseline's indent", () => {
  test.each([
    ["a tab", '{\n\t"a": {}\n}\n', "\t"],
    ["four spaces", '{\n    "a": {}\n}\n', "    "],
    ["an empty object", "{}\n", "  "],
    ["no file yet", undefined, "  "],
  ])("is kept from %s", (_name, existing, want) => {
    expect(jsonIndentOf(existing)).toBe(want);
    expect(renderBaseline({ pkg: { "eslint-disable": 2 } }, want)).toBe(
      `{\n${want}"pkg": {\n${want}${want}"eslint-disable": 2\n${want}}\n}\n`,
    );
  });
});
