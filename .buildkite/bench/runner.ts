#!/usr/bin/env bun
// bun run bench:runner — run-pipeline.ts measured against, in the same run:
//   1. gitlab-ci-local (shell executor): per-job overhead on 200 independent `true` jobs and on a
//      50-deep chain. Target: at least 10× lower.
//   2. the floor: `bash -c true` spawned with the same parallelism. Target: at most 1.5×.
//   3. planning the largest build allowed (MAX_JOBS_PER_BUILD jobs, as 500-job matrix uploads) in a
//      fresh process. Target: at most 1 s and 300 MB RSS.
// Per-job overhead is (time for N jobs − time for 1 job) / (N − 1), so start-up cost cancels out.
// A benchmark, not a test: it prints ratios and asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "../../.dagger/src/plan/pool.ts";
import { MAX_JOBS_PER_BUILD, MAX_JOBS_PER_UPLOAD } from "../lib/runner/limits.ts";

const REPO = join(import.meta.dir, "..", "..");
const RUNNER = join(REPO, ".buildkite/run-pipeline.ts");
const GLCI = join(REPO, "node_modules/gitlab-ci-local/dist/index.js");
const SPAWN = availableParallelism();
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function timed(argv: string[], cwd: string): number {
  const start = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed in ${cwd}: ${r.stderr}`);
  return performance.now() - start;
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-runner-"));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  // gitlab-ci-local works from what git tracks, so the pipeline file is committed.
  for (const args of [
    ["init", "-q"],
    ["add", "-A"],
    ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-q", "-m", "bench"],
  ]) {
    const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${dir}: ${r.stderr}`);
  }
  return dir;
}

const buildkite = (n: number, chain: boolean) =>
  `steps:\n${Array.from({ length: n }, (_, i) => `  - key: j${i}\n    command: "true"\n${chain && i ? `    depends_on: j${i - 1}\n` : ""}`).join("")}`;

const gitlab = (n: number, chain: boolean) =>
  chain
    ? // A chain as a DAG with needs: gitlab-ci-local's time explodes with the number of stages
      // (20 stages took over 30 s here), and needs is the true counterpart of depends_on.
      `stages: [test]\n${Array.from({ length: n }, (_, i) => `j${i}:\n  stage: test\n  needs: [${i ? `j${i - 1}` : ""}]\n  script: ["true"]\n`).join("")}`
    : `stages: [test]\n${Array.from({ length: n }, (_, i) => `j${i}:\n  stage: test\n  script: ["true"]\n`).join("")}`;

/** Median per-job overhead in ms of one tool on N jobs, start-up cancelled out by a 1-job run. */
function perJob(n: number, chain: boolean, tool: "runner" | "gitlab-ci-local"): number {
  const make = (count: number) =>
    tool === "runner"
      ? repo({ "pipeline.yml": buildkite(count, chain) })
      : repo({ ".gitlab-ci.yml": gitlab(count, chain) });
  const argv = (dir: string) =>
    tool === "runner"
      ? ["bun", RUNNER, "pipeline.yml", "--dir", dir, "--spawn", String(SPAWN)]
      : ["bun", GLCI, "--shell-executor-no-image", "--concurrency", String(SPAWN)];
  const [one, many] = [make(1), make(n)];
  try {
    const samples = Array.from({ length: RUNS }, () => timed(argv(many), many) - timed(argv(one), one));
    return median(samples) / (n - 1);
  } finally {
    rmSync(one, { recursive: true, force: true });
    rmSync(many, { recursive: true, force: true });
  }
}

/**
 * The floor: N `bash -c true` with the same parallelism, per job, start-up cancelled out. With
 * `group`, each in its own process group (setsid), as the runner must start jobs so that a
 * timeout or ^C can kill everything they started.
 */
async function floorPerJob(n: number, group: boolean): Promise<number> {
  const batch = async (count: number) => {
    const pool = new Pool(SPAWN);
    const start = performance.now();
    await Promise.all(
      Array.from({ length: count }, () =>
        pool.run(async () => {
          await Bun.spawn(["bash", "-c", "true"], { detached: group, stdio: ["ignore", "ignore", "ignore"] })
            .exited;
        }),
      ),
    );
    return performance.now() - start;
  };
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push((await batch(n)) - (await batch(1)));
  return median(samples) / (n - 1);
}

function planning(): { ms: number; rssMb: number } {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-plan-"));
  try {
    const dim = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(", ");
    writeFileSync(
      join(dir, "pipeline.yml"),
      `steps:\n  - label: "m {{matrix.a}} {{matrix.b}}"\n    command: echo {{matrix.a}} {{matrix.b}}\n    matrix:\n      setup:\n        a: [${dim(20)}]\n        b: [${dim(25)}]\n`,
    );
    const script = `
      const t = performance.now();
      const { loadPipeline } = await import(${JSON.stringify(join(REPO, ".buildkite/lib/runner/load.ts"))});
      const { Planner } = await import(${JSON.stringify(join(REPO, ".buildkite/lib/runner/plan.ts"))});
      const text = await Bun.file(${JSON.stringify(join(dir, "pipeline.yml"))}).text();
      const vars = { "build.branch": "main", env: () => undefined };
      const planner = new Planner(vars);
      // One upload may make 500 jobs; a build may hold ${MAX_JOBS_PER_BUILD}: each upload is loaded and planned.
      for (let i = 0; i < ${MAX_JOBS_PER_BUILD / MAX_JOBS_PER_UPLOAD}; i++) {
        const { pipeline } = loadPipeline(text, "pipeline.yml", { interpolate: true, lookup: (n) => process.env[n] });
        planner.plan(pipeline);
      }
      const jobs = planner.graph.jobs.size;
      console.log(JSON.stringify({ jobs, ms: performance.now() - t, rss: process.memoryUsage().rss }));`;
    const runs = Array.from({ length: RUNS }, () => {
      const r = spawnSync("bun", ["-e", script], { cwd: REPO, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`planning failed: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { jobs: number; ms: number; rss: number };
      if (out.jobs !== MAX_JOBS_PER_BUILD)
        throw new Error(`expected ${MAX_JOBS_PER_BUILD} jobs, planned ${out.jobs}`);
      return out;
    });
    return { ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rss)) / 1024 / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const verdict = (ok: boolean) => (ok ? "ok" : "OVER TARGET");
console.log(`spawn ${SPAWN}, median of ${RUNS} runs; per-job overhead = (N jobs − 1 job) / (N − 1)\n`);

const floor = await floorPerJob(200, false);
const groupFloor = await floorPerJob(200, true);
const wide = perJob(200, false, "runner");
const chain = perJob(50, true, "runner");
const rsync = spawnSync("rsync", ["--version"]).status === 0;
if (rsync) {
  const glWide = perJob(200, false, "gitlab-ci-local");
  const glChain = perJob(50, true, "gitlab-ci-local");
  console.log(
    `200 independent jobs: run-pipeline ${wide.toFixed(2)} ms/job, gitlab-ci-local ${glWide.toFixed(2)} ms/job`,
  );
  console.log(
    `  ratio gitlab-ci-local / run-pipeline: ${(glWide / wide).toFixed(1)}x (target >= 10x) ${verdict(glWide / wide >= 10)}`,
  );
  console.log(
    `50-deep chain:        run-pipeline ${chain.toFixed(2)} ms/job, gitlab-ci-local ${glChain.toFixed(2)} ms/job`,
  );
  console.log(
    `  ratio gitlab-ci-local / run-pipeline: ${(glChain / chain).toFixed(1)}x (target >= 10x) ${verdict(glChain / chain >= 10)}`,
  );
} else {
  console.log("gitlab-ci-local comparison not run: it needs rsync (apt-get install rsync)");
}
console.log(`floor (bash -c true, same parallelism): ${floor.toFixed(2)} ms/job`);
console.log(
  `  ratio run-pipeline / floor: ${(wide / floor).toFixed(2)}x (target <= 1.5x) ${verdict(wide / floor <= 1.5)}`,
);
console.log(`floor in its own process group (setsid): ${groupFloor.toFixed(2)} ms/job`);
console.log(`  ratio run-pipeline / process-group floor: ${(wide / groupFloor).toFixed(2)}x`);
const plan = planning();
console.log(
  `planning a ${MAX_JOBS_PER_BUILD}-job build: ${plan.ms.toFixed(0)} ms (target <= 1000) ${verdict(plan.ms <= 1000)}, ` +
    `${plan.rssMb.toFixed(0)} MB RSS (target <= 300) ${verdict(plan.rssMb <= 300)}`,
);
