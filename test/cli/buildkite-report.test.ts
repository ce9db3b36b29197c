// A check run inside a (local) Buildkite job: the build page gets its annotation and the step
// its JUnit, seen through run-pipeline.ts, whose buildkite-agent stand-in records annotations.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { annotationBody, ANNOTATION_LIMIT } from "../../.dagger/src/plan/check-reports.ts";
import type { CheckReport } from "../../.dagger/src/plan/result.ts";
import { REPO } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";

setDefaultTimeout(180_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const scripts = (test: string) => ({
  typecheck: "bun --version",
  lint: "bun --version",
  build: "bun --version",
  test,
});

describe("a check inside a Buildkite job", () => {
  test("a failing check posts an error annotation naming the failed task, and its JUnit fails that case", () => {
    const fixture = tempDir("bk-fixture");
    const run = tempDir("bk-run");
    dirs.push(fixture, run);
    writeFiles(fixture, {
      "package.json": JSON.stringify({ name: "fixture", private: true, workspaces: ["packages/*"] }),
      "bun.lock": "{}\n",
      "monorepo-ci.json": JSON.stringify({
        mobile: { workspace: "packages/mobile" },
        birmel: { workspace: "packages/birmel" },
      }),
      "packages/good/package.json": JSON.stringify({
        name: "good",
        version: "1.0.0",
        scripts: scripts("bun --version"),
      }),
      "packages/bad/package.json": JSON.stringify({
        name: "bad",
        version: "1.0.0",
        scripts: scripts("echo 'expected 1 <to be> 2' && exit 1"),
      }),
      "packages/mobile/package.json": "{}",
      "packages/birmel/package.json": "{}",
    });
    writeFileSync(
      join(run, "pipeline.yml"),
      [
        "steps:",
        "  - label: packages",
        "    key: packages",
        `    command: bun ${join(REPO, ".dagger/cli/check.ts")} packages --source ${fixture} --no-cache --junit junit.xml`,
      ].join("\n"),
    );
    const report = join(run, "report.json");
    const r = Bun.spawnSync(
      [
        "bun",
        join(REPO, ".buildkite/run-pipeline.ts"),
        "pipeline.yml",
        "--dir",
        run,
        "--report-json",
        report,
      ],
      { cwd: run },
    );
    expect(r.exitCode).toBe(1);
    const built = JSON.parse(readFileSync(report, "utf8")) as {
      annotations: { context: string; style: string; body: string }[];
    };
    const note = built.annotations.find((a) => a.context === "monorepo-ci-packages");
    expect(note?.style).toBe("error");
    expect(note?.body).toContain(":package: Packages: FAILED");
    expect(note?.body).toContain("| :package: Packages | bad test | ✘ failed |");
    // The tail is HTML-escaped, so a tool's output cannot inject markup.
    expect(note?.body).toContain("expected 1 &#60;to be&#62; 2");

    const junit = readFileSync(join(run, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuite name="packages" tests="8" failures="1" skipped="0"');
    expect(junit).toMatch(
      /<testcase classname="packages" name="bad test" time="[\d.]+"><failure type="exit 1"/,
    );
    expect(junit).toContain('<testcase classname="packages" name="good test"');
  });

  test("the annotation stays under Buildkite's limit, saying what it left out", () => {
    const huge = "x".repeat(1900);
    const tasks = Array.from({ length: 40 }, (_, i) => ({
      id: `t${i}`,
      label: `task ${i}`,
      status: "failed" as const,
      durationMs: 1,
      exitCode: 1,
      detail: "failed",
      output: Array.from({ length: 40 }, () => huge).join("\n"),
    }));
    const report: CheckReport = {
      key: "packages",
      label: "Packages",
      status: "failed",
      durationMs: 5,
      tasks,
    };
    const body = annotationBody(report, "Packages");
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(ANNOTATION_LIMIT);
    expect(body).toMatch(/_\d+ more failed task output\(s\) left out/);
    expect(body).toContain("| Packages | task 39 | ✘ failed |");
  });
});
