// Each folder in cases/ is a pipeline and its expected outcome. The runner runs it for real, as a
// process, in a temp copy of the folder; commands record "<ns> <event>" lines in ./events so
// ordering and overlap are proven from what actually ran.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";
import { goneWithin } from "../support/process.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

type JobExpectation = {
  state?: string;
  retries?: number;
  exit_status?: number | null;
  parallel_job?: number | null;
  matrix?: unknown;
};
type Expected = {
  args?: string[];
  env?: Record<string, string>;
  exit: number;
  state?: string;
  jobs?: Record<string, JobExpectation>;
  job_count?: number;
  stdout_contains?: string[];
  stdout_excludes?: string[];
  stderr_contains?: string[];
  /** [earlier, later]: event `earlier` happened before event `later`. */
  before?: [string, string][];
  /** Two jobs whose start/end events overlap in time. */
  overlap?: [string, string][];
  /** Files in the run's directory and exactly what they must hold. */
  files?: Record<string, string>;
  meta_data?: Record<string, string>;
  annotations?: { context: string; style: string; body: string }[];
  /** Files holding a pid each; those processes must be gone after the run. */
  dead_pids?: string[];
};

const CASES = join(import.meta.dir, "cases");
const RUNNER = join(REPO, ".buildkite/run-pipeline.ts");

/**
 * Each case decides which Docker it meets, never the machine: first on PATH is a `docker` that
 * answers as a machine without a daemon does. (runner.test.ts drives the docker plugin's real
 * path with a stand-in `docker` of its own.)
 */
const NO_DOCKER = tempDir("no-docker");
writeFileSync(
  join(NO_DOCKER, "docker"),
  '#!/bin/sh\necho "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2\nexit 1\n',
  { mode: 0o755 },
);
afterAll(() => rmSync(NO_DOCKER, { recursive: true, force: true }));

function events(dir: string): Map<string, bigint> {
  const map = new Map<string, bigint>();
  const path = join(dir, "events");
  if (!existsSync(path)) return map;
  for (const line of readFileSync(path, "utf8").split("\n").filter(Boolean)) {
    const [ns, name] = line.split(" ");
    if (ns && name) map.set(name, BigInt(ns));
  }
  return map;
}

describe("run-pipeline.ts cases", () => {
  for (const name of readdirSync(CASES).sort()) {
    test(
      name,
      async () => {
        const expected = JSON.parse(readFileSync(join(CASES, name, "expected.json"), "utf8")) as Expected;
        const dir = tempDir(`case-${name}`);
        try {
          cpSync(join(CASES, name), dir, { recursive: true });
          const report = join(dir, "report.json");
          const r = spawnSync(
            "bun",
            [
              RUNNER,
              "pipeline.yml",
              "--dir",
              dir,
              "--report-json",
              report,
              "--branch",
              "main",
              ...(expected.args ?? []),
            ],
            {
              cwd: dir,
              encoding: "utf8",
              env: { ...process.env, PATH: `${NO_DOCKER}:${process.env.PATH ?? ""}`, ...expected.env },
              timeout: 60_000,
            },
          );
          for (const s of expected.stdout_contains ?? []) expect(r.stdout).toContain(s);
          for (const s of expected.stdout_excludes ?? []) expect(r.stdout + r.stderr).not.toContain(s);
          for (const s of expected.stderr_contains ?? []) expect(r.stderr).toContain(s);
          expect(r.status).toBe(expected.exit);
          if (expected.exit === 2) {
            expect(r.stdout).toBe("");
            return;
          }
          const built = JSON.parse(readFileSync(report, "utf8")) as {
            state: string;
            jobs: ({ label: string } & JobExpectation)[];
            meta_data: Record<string, string>;
            annotations: unknown[];
          };
          if (expected.state) expect(built.state).toBe(expected.state);
          if (expected.job_count !== undefined) expect(built.jobs).toHaveLength(expected.job_count);
          for (const [label, want] of Object.entries(expected.jobs ?? {})) {
            const job = built.jobs.find((j) => j.label === label);
            expect(job ? label : `no job labelled ${label}`).toBe(label);
            expect(job).toMatchObject(want);
          }
          const ev = events(dir);
          for (const [a, b] of expected.before ?? []) {
            expect(ev.has(a) && ev.has(b) ? `${a} before ${b}` : `missing ${a} or ${b}`).toBe(
              `${a} before ${b}`,
            );
            expect((ev.get(a) as bigint) < (ev.get(b) as bigint)).toBe(true);
          }
          for (const [a, b] of expected.overlap ?? []) {
            const [as, ae, bs, be] = [`${a}:start`, `${a}:end`, `${b}:start`, `${b}:end`].map((k) =>
              ev.get(k),
            );
            expect([as, ae, bs, be].every((x) => x !== undefined)).toBe(true);
            expect((as as bigint) < (be as bigint) && (bs as bigint) < (ae as bigint)).toBe(true);
          }
          for (const [file, text] of Object.entries(expected.files ?? {}))
            expect(readFileSync(join(dir, file), "utf8")).toBe(text);
          if (expected.meta_data) expect(built.meta_data).toEqual(expected.meta_data);
          if (expected.annotations) expect(built.annotations).toEqual(expected.annotations);
          for (const file of expected.dead_pids ?? []) {
            const pid = Number(readFileSync(join(dir, file), "utf8").trim());
            expect(pid).toBeGreaterThan(0);
            expect(await goneWithin(pid, 5000)).toBe(true);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      90_000,
    );
  }
});
