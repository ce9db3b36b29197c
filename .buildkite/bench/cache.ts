#!/usr/bin/env bun
// bun run bench:cache — the host cache against Turborepo (the pinned `turbo` devDependency,
// telemetry off), on the same tasks with the same concurrency, measured in the same run:
//   - the demo monorepo (examples/monorepo: 4 packages × typecheck, lint, test, build = 16 tasks);
//   - a generated monorepo of 200 packages (800 cheap tasks, chains of 10 dependent packages).
// For each: cold (empty caches), warm (nothing changed) and one package changed, with how many
// tasks each tool ran; then a new machine (no local cache) against a warm remote cache, the same
// turborepo-remote-cache server for both, on the tree that was uploaded and on one changed since.
// Targets: warm ≤ 2× turbo's, cold ≤ 1.2× turbo's, a change re-runs exactly the changed package
// and its dependents, and a new machine ≤ 1.5× our local warm and ≤ 1× turbo's new machine.
// A benchmark, not a test: it asserts nothing.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startRemoteCacheServer } from "../../test/support/remote-cache-server.ts";

const REPO = join(import.meta.dir, "..", "..");
const DEMO = join(REPO, "examples", "monorepo");
const TURBO = join(REPO, "node_modules", ".bin", "turbo");
const CHECK = join(REPO, ".dagger", "cli", "check.ts");
const CONCURRENCY = availableParallelism();
const SCRIPTS = ["typecheck", "lint", "test", "build"];
const ENV = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", NO_COLOR: "1" };

function sh(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
): { ms: number; stdout: string; stderr: string } {
  const start = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    cwd,
    env: { ...ENV, ...env },
    encoding: "utf8",
    timeout: 1_800_000,
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function commit(dir: string): void {
  for (const args of [
    ["init", "-q"],
    ["add", "-A"],
    ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-q", "-m", "bench"],
  ])
    sh(["git", ...args], dir);
}

/**
 * Each task as a typical turbo.json declares it: build, typecheck and test after the builds of
 * the packages they depend on (`^build`, as our packages check orders them), build keeping dist,
 * lint on its own. Inputs are Turborepo's default (every file of the package, git-ignored ones
 * aside), which is what ours hashes too.
 */
const TURBO_TASKS: Record<string, Record<string, unknown>> = {
  build: { dependsOn: ["^build"], outputs: ["dist/**"] },
  typecheck: { dependsOn: ["^build"] },
  test: { dependsOn: ["^build"] },
  lint: {},
};

/**
 * What both tools need besides the packages: turbo.json with the four tasks, a packageManager
 * field, and a monorepo-ci.json whose mobile and birmel point at stubs outside the workspaces,
 * so our `packages` check covers every package, as turbo does.
 */
function equip(dir: string): void {
  const tasks = Object.fromEntries(SCRIPTS.map((s) => [s, TURBO_TASKS[s] ?? {}]));
  writeFileSync(
    join(dir, "turbo.json"),
    JSON.stringify({ $schema: "https://turbo.build/schema.json", tasks }),
  );
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
  pkg.packageManager = `bun@${Bun.version}`;
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  for (const stub of ["mobile", "birmel"]) {
    mkdirSync(join(dir, "stubs", stub), { recursive: true });
    writeFileSync(
      join(dir, "stubs", stub, "package.json"),
      JSON.stringify({ name: `stub-${stub}`, private: true }),
    );
  }
  writeFileSync(
    join(dir, "monorepo-ci.json"),
    JSON.stringify({ mobile: { workspace: "stubs/mobile" }, birmel: { workspace: "stubs/birmel" } }),
  );
  // What users ignore: dependencies, build output, turbo's cache, coverage reports.
  writeFileSync(join(dir, ".gitignore"), "node_modules\ndist\n.turbo\ncoverage\n");
}

function demoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-cache-demo-"));
  cpSync(DEMO, dir, {
    recursive: true,
    filter: (src) => !src.includes("/node_modules") && !src.endsWith("/dist") && !src.includes("/dist/"),
  });
  // Dependencies as installed, hard-linked (their caches left behind).
  for (const nm of [
    "node_modules",
    ...readdirSync(join(DEMO, "packages")).map((p) => `packages/${p}/node_modules`),
  ]) {
    if (!existsSync(join(DEMO, nm))) continue;
    sh(["cp", "-al", join(DEMO, nm), join(dir, nm)], dir);
    rmSync(join(dir, nm, ".cache"), { recursive: true, force: true });
  }
  equip(dir);
  commit(dir);
  return dir;
}

/** 200 packages of cheap tasks; p(i) depends on p(i−1) within each chain of 10. */
function generated(n = 200): string {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bench-cache-gen-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "generated", private: true, workspaces: ["packages/*"] }),
  );
  for (let i = 0; i < n; i++) {
    const p = join(dir, "packages", `p${i}`);
    mkdirSync(join(p, "src"), { recursive: true });
    writeFileSync(join(p, "src", "index.ts"), `export const p${i} = ${i};\n`);
    const scripts = Object.fromEntries(
      SCRIPTS.map((s) => [
        s,
        s === "build" ? "mkdir -p dist && cp src/index.ts dist/" : "cat src/index.ts > /dev/null",
      ]),
    );
    const deps = i % 10 ? { [`p${i - 1}`]: "workspace:*" } : {};
    writeFileSync(
      join(p, "package.json"),
      JSON.stringify({ name: `p${i}`, version: "1.0.0", license: "MIT", scripts, dependencies: deps }),
    );
  }
  equip(dir);
  sh(["bun", "install"], dir);
  commit(dir);
  return dir;
}

type Run = { ms: number; ran: number; total: number };

function turbo(dir: string, env: Record<string, string> = {}): Run {
  const r = sh([TURBO, "run", ...SCRIPTS, `--concurrency=${CONCURRENCY}`, "--output-logs=none"], dir, env);
  const text = r.stdout + r.stderr;
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(text);
  const total = Number(cached?.[2] ?? NaN);
  return { ms: r.ms, ran: total - Number(cached?.[1] ?? NaN), total };
}

function ours(dir: string, report: string, env: Record<string, string> = {}): Run {
  const r = sh(["bun", CHECK, "packages", "--source", dir, "--json", report], dir, env);
  // Only work counts, as in turbo's tally: a root script that only fans out is reported skipped.
  const tasks = (
    JSON.parse(readFileSync(report, "utf8")) as { tasks: { cached?: boolean; status: string }[] }
  ).tasks.filter((t) => t.status !== "skipped");
  const where = /cache: .*$/m.exec(r.stderr)?.[0] ?? "";
  if (where) process.stderr.write(`    ours: ${where}\n`);
  return { ms: r.ms, ran: tasks.filter((t) => !t.cached).length, total: tasks.length };
}

function coldStart(dir: string): void {
  rmSync(join(dir, ".turbo"), { recursive: true, force: true });
  rmSync(join(dir, "node_modules", ".cache"), { recursive: true, force: true });
}

/** A new machine: no local cache of either tool, and none of the outputs a run leaves. */
function newMachine(dir: string): void {
  coldStart(dir);
  for (const p of readdirSync(join(dir, "packages"))) {
    rmSync(join(dir, "packages", p, "dist"), { recursive: true, force: true });
  }
}

type Phases = { cold: Run; warm: Run; changed: Run };

function measure(
  name: string,
  dir: string,
  change: string,
  expected: number,
  remote: Record<string, string>,
): void {
  coldStart(dir);
  const out = join(mkdtempSync(join(tmpdir(), "monorepo-ci-bench-cache-out-")), "report.json");
  // Interleaved, so both tools see the same machine load at each phase.
  const cold = [turbo(dir), ours(dir, out)] as const;
  const warm = [turbo(dir), ours(dir, out)] as const;
  writeFileSync(join(dir, change), `export const changed = ${Date.now()};\n`, { flag: "a" });
  const changed = [turbo(dir), ours(dir, out)] as const;
  const t: Phases = { cold: cold[0], warm: warm[0], changed: changed[0] };
  const o: Phases = { cold: cold[1], warm: warm[1], changed: changed[1] };
  const s = (r: Run) => `${(r.ms / 1000).toFixed(2)}s (${r.ran}/${r.total} ran)`;
  console.log(`\n${name}: change ${change}; affected tasks: ${expected}`);
  for (const [tool, r] of [
    ["turbo", t],
    ["ours", o],
  ] as const) {
    console.log(`  ${tool.padEnd(6)} cold ${s(r.cold)}  warm ${s(r.warm)}  changed ${s(r.changed)}`);
  }
  const ratio = (k: keyof Phases, target?: number) => {
    const x = o[k].ms / t[k].ms;
    return `${k} ${x.toFixed(2)}x${target ? ` (target <= ${target}x) ${x <= target ? "ok" : "OVER TARGET"}` : ""}`;
  };
  console.log(`  ours / turbo: ${ratio("cold", 1.2)}, ${ratio("warm", 2)}, ${ratio("changed")}`);
  const ran = o.changed.ran;
  console.log(
    `  one package changed: ours ran ${ran} task(s), expected ${expected} ${ran === expected ? "ok" : "WRONG"}`,
  );

  // A new machine against a warm remote: both tools upload from a cold run to the same server,
  // then each runs again with no local cache and no outputs, so every hit is a remote one.
  newMachine(dir);
  turbo(dir, remote);
  ours(dir, out, remote);
  newMachine(dir);
  const turboNew = turbo(dir, remote);
  newMachine(dir);
  const oursNew = ours(dir, out, remote);
  console.log(`  new machine, warm remote: turbo ${s(turboNew)}  ours ${s(oursNew)}`);
  const vsLocal = oursNew.ms / o.warm.ms;
  const vsTurbo = oursNew.ms / turboNew.ms;
  console.log(
    `  ours new machine / ours local warm ${vsLocal.toFixed(2)}x (target <= 1.5x) ${vsLocal <= 1.5 ? "ok" : "OVER TARGET"}, ` +
      `/ turbo new machine ${vsTurbo.toFixed(2)}x (target <= 1x) ${vsTurbo <= 1 ? "ok" : "OVER TARGET"}`,
  );
  // The same on a tree no machine has run (one package changed since the uploads): no bundle
  // serves it, so each task's artifact is fetched on its own, and the affected tasks run.
  writeFileSync(join(dir, change), `export const again = ${Date.now()};\n`, { flag: "a" });
  newMachine(dir);
  const turboMoved = turbo(dir, remote);
  newMachine(dir);
  const oursMoved = ours(dir, out, remote);
  console.log(
    `  new machine, one package changed since the upload: turbo ${s(turboMoved)}  ours ${s(oursMoved)}, ` +
      `ours / turbo ${(oursMoved.ms / turboMoved.ms).toFixed(2)}x`,
  );
  rmSync(dirname(out), { recursive: true, force: true });
}

console.log(`turbo ${sh([TURBO, "--version"], REPO).stdout.trim()}, concurrency ${CONCURRENCY}`);
const demo = demoCopy();
const gen = generated();
// One server for both tools, configured the same way: Turborepo's variables, which ours reads too.
const TOKEN = "bench-token";
const server = await startRemoteCacheServer(TOKEN, false);
const remote = { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_TEAM: "bench" };
try {
  // birmel depends on strings: a change to strings re-runs both packages' four tasks.
  measure("demo monorepo (4 packages, 16 tasks)", demo, "packages/strings/src/index.ts", 8, remote);
  // p15 ← p16 … p19: five packages in its chain.
  measure("generated monorepo (200 packages, 800 tasks)", gen, "packages/p15/src/index.ts", 20, remote);
} finally {
  server.stop();
  rmSync(demo, { recursive: true, force: true });
  rmSync(gen, { recursive: true, force: true });
}
