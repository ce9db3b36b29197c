#!/usr/bin/env bun
// bun run bench:generate — the generator's wall time on a 5,000-file diff against its floor, both
// measured in this run on the same repository: starting bun (`bun -e 0`) plus `git diff --name-only`.
// Prints the ratio; the target is at most 2×. A benchmark, not a test: it asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");
const FILES = 5000;
const RUNS = 7;

function run(cmd: string[], cwd: string, env: Record<string, string> = {}): void {
  const r = spawnSync(cmd[0] as string, cmd.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr}`);
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(fn: () => void): number {
  const samples: number[] = [];
  fn(); // warm the page cache and bun's transpiler cache
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-generate-"));
try {
  const g = (...args: string[]) => run(["git", ...args], dir);
  g("init", "--quiet", "--initial-branch=main");
  g("config", "user.email", "bench@example.com");
  g("config", "user.name", "bench");
  writeFileSync(
    join(dir, "monorepo-ci.json"),
    readFileSync(join(REPO, "examples/monorepo/monorepo-ci.json")),
  );
  writeFileSync(join(dir, "package.json"), '{"name":"bench","private":true,"workspaces":["packages/*"]}\n');
  g("add", "-A");
  g("commit", "--quiet", "-m", "base");
  g("update-ref", "refs/remotes/origin/main", "HEAD");
  g("checkout", "--quiet", "-b", "feature");
  for (let i = 0; i < FILES; i++) {
    const pkg = join(dir, "packages", `p${i % 100}`, "src");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  g("add", "-A");
  g("commit", "--quiet", "-m", "5,000 files");

  const env = {
    BUILDKITE_BRANCH: "feature",
    BUILDKITE_PULL_REQUEST: "1",
    BUILDKITE_PULL_REQUEST_BASE_BRANCH: "main",
  };
  const generator = time(() => run(["bun", join(REPO, ".buildkite/generate-pipeline.ts")], dir, env));
  const floor = time(() => {
    run(["bun", "-e", "0"], dir);
    run(["git", "diff", "--name-only", "refs/remotes/origin/main", "HEAD"], dir);
  });
  const ratio = generator / floor;
  console.log(`diff: ${FILES} files, median of ${RUNS} runs`);
  console.log(`floor (bun -e 0 + git diff --name-only): ${floor.toFixed(1)} ms`);
  console.log(`generate-pipeline.ts:                    ${generator.toFixed(1)} ms`);
  console.log(`ratio: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? "ok" : "OVER TARGET"}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
