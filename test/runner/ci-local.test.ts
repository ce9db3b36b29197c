// The hybrid path of `just ci-local`, on this repository: the generated pipeline, run by the local
// runner, each Dagger step turned into its catalog host command by run-dagger.sh (--host-checks).
// Limited with --step to the quick checks; `just ci-local` runs all of them.
import { expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

test("the generated pipeline runs here with --host-checks, each step as its host command", () => {
  const dir = tempDir("ci-local");
  try {
    const gen = spawnSync("bun", [join(REPO, ".buildkite/generate-pipeline.ts")], {
      cwd: REPO,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        BUILDKITE_BRANCH: "ci-local",
        FULL_BUILD: "true",
      },
    });
    expect(gen.status).toBe(0);
    writeFileSync(join(dir, "pipeline.json"), gen.stdout);
    const report = join(dir, "report.json");
    const r = spawnSync(
      "bun",
      [
        join(REPO, ".buildkite/run-pipeline.ts"),
        join(dir, "pipeline.json"),
        "--dir",
        REPO,
        "--host-checks",
        "--step",
        "compliance",
        "--step",
        "mobile",
        "--report-json",
        report,
      ],
      { cwd: REPO, encoding: "utf8", timeout: 300_000 },
    );
    expect(r.stdout).toContain("host-run: compliance-check → bun run check compliance --source .");
    expect(r.stdout).toContain("host-run: mobile-ci → bun run check mobile --source .");
    expect(r.status).toBe(0);
    const states = Object.fromEntries(
      (JSON.parse(readFileSync(report, "utf8")) as { jobs: { step_key: string; state: string }[] }).jobs.map(
        (j) => [j.step_key, j.state],
      ),
    );
    expect(states).toMatchObject({
      compliance: "passed",
      mobile: "passed",
      quality: "skipped",
      ci: "skipped",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);

test("host-run refuses a function that runs only in Dagger", () => {
  const r = spawnSync("bun", [join(REPO, ".dagger/cli/host-run.ts"), "publish", "--source=."], {
    cwd: REPO,
    encoding: "utf8",
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("publish runs only in Dagger");
});
