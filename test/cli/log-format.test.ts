// `--log-format json`: one JSON object per event, as a log pipeline reads it, from the check CLI
// (on stderr, stdout staying the report) and from the local runner (on stdout).
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE, REPO, runCli } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";

setDefaultTimeout(120_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Event = { ts: string; event: string; [key: string]: unknown };
const events = (text: string): Event[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);

describe("--log-format json", () => {
  test("bun run check: a started and a finished event per task, with its check, then the check's", () => {
    const r = runCli(".dagger/cli/check.ts", ["compliance", "--source", EXAMPLE, "--log-format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Compliance: PASSED");
    const all = events(r.stderr);
    for (const e of all) expect(Number.isNaN(Date.parse(e.ts))).toBe(false);
    const started = all.filter((e) => e.event === "task_started");
    const finished = all.filter((e) => e.event === "task_finished");
    expect(started.length).toBeGreaterThan(3);
    expect(finished.map((e) => e.task).sort()).toEqual(started.map((e) => e.task).sort());
    for (const e of finished) {
      expect(e.check).toBe("compliance");
      expect(typeof e.duration_ms).toBe("number");
      expect(e.status).toBe("passed");
    }
    const done = all.find((e) => e.event === "check_finished");
    expect(done).toMatchObject({ check: "compliance", status: "passed", failed: [] });
    expect(all.indexOf(done as Event)).toBeGreaterThan(all.indexOf(finished.at(-1) as Event));
  });

  test("run-pipeline.ts: job started, output, finished and the build's end, nothing else on stdout", () => {
    const dir = tempDir("log-format");
    dirs.push(dir);
    writeFileSync(
      join(dir, "pipeline.yml"),
      "steps:\n  - label: says\n    command: echo hello\n  - label: soft\n    command: exit 3\n    soft_fail: true\n",
    );
    const r = Bun.spawnSync(
      ["bun", join(REPO, ".buildkite/run-pipeline.ts"), "pipeline.yml", "--dir", dir, "--log-format", "json"],
      { cwd: dir },
    );
    expect(r.exitCode).toBe(0);
    const all = events(r.stdout.toString());
    expect(all.find((e) => e.event === "output")).toMatchObject({ label: "says", text: "hello" });
    expect(all.find((e) => e.event === "job_finished" && e.label === "soft")).toMatchObject({
      state: "soft_failed",
      exit_status: 3,
    });
    expect(typeof all.find((e) => e.event === "job_finished")?.duration_ms).toBe("number");
    expect(all.at(-1)).toMatchObject({ event: "build_finished", state: "passed", jobs: 2 });
  });

  test("an unknown format is bad input, named, exit 2", () => {
    const check = runCli(".dagger/cli/check.ts", ["compliance", "--log-format", "xml"]);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain("--log-format xml");
    const runner = runCli(".buildkite/run-pipeline.ts", ["--log-format", "xml", "--dry-run"]);
    expect(runner.code).toBe(2);
    expect(runner.stderr).toContain("--log-format xml");
  });
});
