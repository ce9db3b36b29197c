#!/usr/bin/env bun
// bun run bench:pipeline — what per-check visibility costs in Buildkite wall time, modelled with
// the local runner as the simulator. It measures this repo's checks for real: each check alone
// (`bun run check <key> --no-cache`, as a split step runs it alone on the engine) and `ci` (the
// opaque step: the five at once, then the build) — or takes a `ci` report (--durations), whose
// check times include their wait for a shared pool. It generates this
// repo's pipeline as the generator emits it for a branch build, replaces each Dagger call by a
// sleep of (setup + that check's duration), time-scaled, and runs it through run-pipeline.ts with
// its real concurrency-group semantics, next to the origin's single opaque `dagger call ci` step.
// A benchmark, not a test: it prints modelled wall times and ratios, and asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCli, main } from "../../.dagger/cli/io.ts";
import type { CheckReport, CiReport } from "../../.dagger/src/plan/result.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import type { Pipeline } from "../lib/steps.ts";

const REPO = join(import.meta.dir, "..", "..");
const USAGE = `usage: bun run bench:pipeline [options]
  --durations FILE      a \`bun run check ci --json\` report to take durations from (default: measure)
  --pod-start S         seconds to start a step's pod (default 8)
  --tool-install S      seconds to install curl, jq, kubectl and dagger (default 20)
  --module-install S    seconds to install the module's dependencies (default 17)
  --scale N             model seconds per real second (default 50: 45 s of setup sleep 0.9 s)`;

const seconds = (value: string | undefined, flag: string, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`${flag} ${value}: expected seconds (0 or more)`);
  return n;
};

function run(argv: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 1_800_000,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

type Durations = { steps: Map<string, number>; ci: number };

/** Seconds per step key from one `ci` report: each check's, and `ci`'s own build. */
function durationsFrom(report: CiReport): Durations {
  const steps = new Map(report.checks.map((c) => [c.key, c.durationMs / 1000]));
  steps.set("ci", report.build.durationMs / 1000);
  return { steps, ci: report.durationMs / 1000 };
}

const readReport = (path: string, flag: string) => {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as CiReport & CheckReport;
  } catch (cause) {
    throw new InputError(`${flag} ${path}: ${(cause as Error).message}`, { cause });
  }
};

/** Each check alone, then ci; nothing from the cache, so every time is a real run's. */
function measure(work: string): Durations {
  const path = join(work, "report.json");
  const time = (key: string) => {
    process.stderr.write(`measuring: bun run check ${key} --no-cache…\n`);
    run(["bun", ".dagger/cli/check.ts", key, "--source", ".", "--no-cache", "--json", path]);
    return readReport(path, "--json");
  };
  const ci = durationsFrom(time("ci"));
  for (const key of ci.steps.keys()) if (key !== "ci") ci.steps.set(key, time(key).durationMs / 1000);
  return ci;
}

type Variant = { name: string; setup: number; concurrency: number };

void main(async () => {
  const { values } = parseCli(USAGE, {
    durations: { type: "string" },
    "pod-start": { type: "string" },
    "tool-install": { type: "string" },
    "module-install": { type: "string" },
    scale: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const pod = seconds(values["pod-start"], "--pod-start", 8);
  const tools = seconds(values["tool-install"], "--tool-install", 20);
  const moduleInstall = seconds(values["module-install"], "--module-install", 17);
  const scale = seconds(values.scale, "--scale", 50);
  if (scale <= 0) throw new InputError("--scale must be above 0");

  const work = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-pipeline-"));
  try {
    const d = values.durations ? durationsFrom(readReport(values.durations, "--durations")) : measure(work);

    // This repo's pipeline for a branch build, as the generator emits it.
    const generated = JSON.parse(
      run(["bun", ".buildkite/generate-pipeline.ts"], {
        BUILDKITE_BRANCH: "bench-pipeline",
        BUILDKITE_PIPELINE_DEFAULT_BRANCH: "main",
      }),
    ) as Pipeline;

    const sleep = (model: number) => `sleep ${(model / scale).toFixed(4)}`;
    /** Each step sleeps its setup and duration inside its concurrency slot, as a pod holds it. */
    const split = (v: Variant) => ({
      steps: generated.steps.map((s) => ({
        key: s.key,
        label: s.label,
        command: sleep(v.setup + (d.steps.get(s.key) ?? 0)),
        ...(s.depends_on && { depends_on: s.depends_on }),
        // What buildkite.engineConcurrency: N makes the generator emit (generator.test.ts).
        concurrency: v.concurrency,
        concurrency_group: s.concurrency_group,
      })),
    });
    const opaque = {
      steps: [{ label: "dagger call ci", command: sleep(pod + tools + moduleInstall + d.ci) }],
    };

    /** Modelled wall time: from the first job's start to the last one's end, scaled back. */
    const wall = (pipeline: unknown, name: string): number => {
      const file = join(work, `${name}.json`);
      const out = join(work, `${name}.report.json`);
      writeFileSync(file, JSON.stringify(pipeline));
      run(["bun", ".buildkite/run-pipeline.ts", file, "--dir", work, "--spawn", "32", "--report-json", out]);
      const jobs = (
        JSON.parse(readFileSync(out, "utf8")) as { jobs: { started_at: string; finished_at: string }[] }
      ).jobs;
      const start = Math.min(...jobs.map((j) => Date.parse(j.started_at)));
      const end = Math.max(...jobs.map((j) => Date.parse(j.finished_at)));
      return ((end - start) / 1000) * scale;
    };

    const full = pod + tools + moduleInstall;
    const variants: Variant[] = [
      { name: "as designed (full setup, concurrency 1)", setup: full, concurrency: 1 },
      { name: "prebuilt image (pod start only), concurrency 1", setup: pod, concurrency: 1 },
      { name: "full setup, concurrency 2", setup: full, concurrency: 2 },
      { name: "full setup, concurrency 3", setup: full, concurrency: 3 },
      { name: "prebuilt image, concurrency 2", setup: pod, concurrency: 2 },
      { name: "prebuilt image, concurrency 3", setup: pod, concurrency: 3 },
    ];
    const base = wall(opaque, "opaque");
    const checks = [...d.steps].map(([k, s]) => `${k} ${s.toFixed(1)}s`).join(", ");
    console.log(`durations: ${checks}; dagger call ci ${d.ci.toFixed(1)}s`);
    console.log(
      `setup: pod start ${pod}s + tools ${tools}s + module install ${moduleInstall}s; time scale 1/${scale}\n`,
    );
    console.log(`opaque single step (the origin: full setup + ci): ${base.toFixed(0)}s\n`);
    console.log("split pipeline                                   wall    split/opaque");
    for (const v of variants) {
      const w = wall(split(v), v.name.replace(/\W+/g, "-"));
      console.log(`${v.name.padEnd(48)} ${`${w.toFixed(0)}s`.padStart(5)}   ${(w / base).toFixed(2)}x`);
    }
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
