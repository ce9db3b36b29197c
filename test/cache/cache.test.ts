// The host task cache, through `bun run check` as a user runs it: real processes over a small
// monorepo in a temp dir, whose scripts and stand-in tools record each run in a file outside the
// tree, so "what ran" is observed, not inferred.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { runCli } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";

// Each test runs the CLI several times; a busy machine must not fail them by the clock.
setDefaultTimeout(180_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const SCRIPTS = ["typecheck", "lint", "test", "build"];
const scripts = (name: string, extra: Record<string, string> = {}) =>
  Object.fromEntries(SCRIPTS.map((s) => [s, extra[s] ?? `echo ${name}:${s} >> "$RUNS_LOG"`]));

const manifest = (name: string, deps: string[] = [], extra: Record<string, string> = {}) =>
  JSON.stringify({
    name,
    version: "1.0.0",
    license: "MIT",
    scripts: scripts(name, extra),
    dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:*"])),
  });

/** b depends on a; c stands alone. `eslint` and `prettier` are stand-ins that record a run. */
function fixture(config: Record<string, unknown> = {}) {
  const root = tempDir("cache");
  const outside = tempDir("cache-out");
  dirs.push(root, outside);
  writeFiles(root, {
    // The root's devDependencies name its linter and formatter, so the quality check runs them.
    "package.json": JSON.stringify({
      name: "fixture",
      private: true,
      workspaces: ["packages/*"],
      devDependencies: { eslint: "10.0.0", prettier: "3.0.0" },
    }),
    "bun.lock": '{ "lockfileVersion": 1 }\n',
    "tsconfig.json": "{}\n",
    "README.md": "# fixture\n",
    "monorepo-ci.json": JSON.stringify({
      mobile: { workspace: "packages/mobile" },
      birmel: { workspace: "packages/birmel" },
      ...config,
    }),
    "packages/a/package.json": manifest("a", [], {
      build: 'echo a:build >> "$RUNS_LOG"; mkdir -p dist/sub && echo built-a > dist/sub/a.js',
    }),
    "packages/a/src/index.ts": "export const a = 1;\n",
    "packages/b/package.json": manifest("b", ["a"]),
    "packages/b/src/index.ts": "export const b = 2;\n",
    "packages/c/package.json": manifest("c", [], {
      test: 'echo c:test >> "$RUNS_LOG"; test -z "$FAIL_C"',
    }),
    "packages/c/src/index.ts": "export const c = 3;\n",
    "packages/mobile/package.json": manifest("mobile"),
    "packages/birmel/package.json": manifest("birmel"),
  });
  const bin = join(root, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  for (const tool of ["eslint", "prettier"]) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho ${tool} >> "$RUNS_LOG"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const runsLog = join(outside, "runs.log");
  const json = join(outside, "report.json");
  /** Runs a check; returns what ran (sorted), the report and the exit code. */
  const run = (key: string, env: Record<string, string> = {}, args: string[] = []) => {
    writeFileSync(runsLog, "");
    const r = runCli(".dagger/cli/check.ts", [key, "--source", root, "--json", json, ...args], {
      RUNS_LOG: runsLog,
      ...env,
    });
    const ran = readFileSync(runsLog, "utf8").split("\n").filter(Boolean).sort();
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      tasks: { label: string; status: string; cached?: boolean; durationMs: number }[];
    };
    return { ...r, ran, report };
  };
  return { root, run };
}

const all = (...names: string[]) => names.flatMap((n) => SCRIPTS.map((s) => `${n}:${s}`)).sort();

describe("host task cache", () => {
  test("a warm run runs nothing, shows each hit with the time it saves, and keeps the original duration", () => {
    const { run } = fixture();
    const cold = run("packages");
    expect(cold.code).toBe(0);
    expect(cold.ran).toEqual(all("a", "b", "c"));
    const warm = run("packages");
    expect(warm.code).toBe(0);
    expect(warm.ran).toEqual([]);
    expect(warm.report.tasks.every((t) => t.cached === true && t.status === "passed")).toBe(true);
    const first = Object.fromEntries(cold.report.tasks.map((t) => [t.label, t.durationMs]));
    for (const t of warm.report.tasks) expect(t.durationMs).toBe(first[t.label] as number);
    expect(warm.stdout).toMatch(/a test\s+✔ passed \(cached, \d+\.\ds saved\)/);
  });

  test("a change in one package re-runs it and its dependents, and nothing else", () => {
    const { root, run } = fixture();
    run("packages");
    writeFileSync(join(root, "packages/a/src/index.ts"), "export const a = 10;\n");
    expect(run("packages").ran).toEqual(all("a", "b"));
    writeFileSync(join(root, "packages/c/src/new.ts"), "export const n = 1;\n");
    expect(run("packages").ran).toEqual(all("c"));
    expect(run("packages").ran).toEqual([]);
  });

  test("a change to bun.lock or a root tsconfig re-runs everything", () => {
    const { root, run } = fixture();
    run("packages");
    writeFileSync(join(root, "bun.lock"), '{ "lockfileVersion": 1, "changed": true }\n');
    expect(run("packages").ran).toEqual(all("a", "b", "c"));
    writeFileSync(join(root, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }\n');
    expect(run("packages").ran).toEqual(all("a", "b", "c"));
  });

  test("an allowlisted variable re-runs the tasks that read it; others change nothing", () => {
    const { run } = fixture({ cache: { env: ["API_URL"], packageEnv: { c: ["C_FLAG"] } } });
    run("packages", { API_URL: "one", C_FLAG: "x" });
    expect(run("packages", { API_URL: "one", C_FLAG: "x", UNLISTED: "y" }).ran).toEqual([]);
    expect(run("packages", { API_URL: "one", C_FLAG: "z" }).ran).toEqual(all("c"));
    expect(run("packages", { API_URL: "two", C_FLAG: "z" }).ran).toEqual(all("a", "b", "c"));
    expect(run("packages", { API_URL: "two", C_FLAG: "z", NODE_ENV: "production" }).ran).toEqual(
      all("a", "b", "c"),
    );
  });

  test("a file that only a root-level task reads re-runs only that task", () => {
    const { root, run } = fixture();
    run("packages");
    const quality = run("quality");
    expect(quality.ran).toEqual(["eslint", "prettier"]);
    expect(run("quality").ran).toEqual([]);
    writeFileSync(join(root, "README.md"), "# fixture, edited\n");
    expect(run("quality").ran).toEqual(["eslint", "prettier"]);
    expect(run("packages").ran).toEqual([]);
  });

  test("a failure is never cached: the task runs again, and passes when it passes", () => {
    const { run } = fixture();
    const failed = run("packages", { FAIL_C: "1" });
    expect(failed.code).toBe(1);
    expect(failed.report.tasks.find((t) => t.label === "c test")?.status).toBe("failed");
    const again = run("packages");
    expect(again.ran).toEqual(["c:test"]);
    expect(again.code).toBe(0);
    expect(run("packages").ran).toEqual([]);
  });

  test("a hit puts back what the task left for later ones: a build's dist, whole or not at all", () => {
    const { root, run } = fixture();
    run("packages");
    const built = join(root, "packages/a/dist/sub/a.js");
    expect(readFileSync(built, "utf8")).toBe("built-a\n");
    rmSync(join(root, "packages/a/dist"), { recursive: true });
    expect(run("packages").ran).toEqual([]);
    expect(readFileSync(built, "utf8")).toBe("built-a\n");
    // A kept output cut short makes the entry a miss: the build runs again, and its dist is whole.
    const stored = readdirSync(join(root, "node_modules/.cache/monorepo-ci/tasks")).find((f) =>
      f.endsWith(".out"),
    ) as string;
    truncateSync(join(root, "node_modules/.cache/monorepo-ci/tasks", stored, "packages/a/dist/sub/a.js"), 2);
    rmSync(join(root, "packages/a/dist"), { recursive: true });
    expect(run("packages").ran).toEqual(["a:build"]);
    expect(readFileSync(built, "utf8")).toBe("built-a\n");
  });

  test("--no-cache and MONOREPO_CI_CACHE=off run every task", () => {
    const { run } = fixture();
    run("packages");
    const bypassed = run("packages", {}, ["--no-cache"]);
    expect(bypassed.ran).toEqual(all("a", "b", "c"));
    expect(bypassed.report.tasks.some((t) => t.cached)).toBe(false);
    expect(run("packages", { MONOREPO_CI_CACHE: "off" }).ran).toEqual(all("a", "b", "c"));
    expect(run("packages").ran).toEqual([]);
  });

  test("a corrupt or half-written entry is a miss, never a crash and never a pass", () => {
    const { root, run } = fixture();
    run("packages");
    const store = join(root, "node_modules/.cache/monorepo-ci/tasks");
    const entries = readdirSync(store).filter((f) => f.endsWith(".json"));
    expect(entries.length).toBe(12);
    entries.forEach((f, i) => {
      const path = join(store, f);
      if (i % 2) truncateSync(path, Math.floor(readFileSync(path).length / 2));
      else writeFileSync(path, JSON.stringify({ version: 1, key: "forged", durationMs: 1 }));
    });
    writeFileSync(join(root, "node_modules/.cache/monorepo-ci/file-index.json"), "{ not json");
    const after = run("packages");
    expect(after.code).toBe(0);
    expect(after.ran).toEqual(all("a", "b", "c"));
    expect(after.report.tasks.some((t) => t.cached)).toBe(false);
    expect(run("packages").ran).toEqual([]);
  });
});

describe("the cache owns only its own files", () => {
  const storeOf = (root: string) => join(root, "node_modules/.cache/monorepo-ci/tasks");
  /** The stored entry of one task, by label, and its path. */
  const entryOf = (root: string, label: string) => {
    const store = storeOf(root);
    for (const f of readdirSync(store).filter((n) => n.endsWith(".json"))) {
      const entry = JSON.parse(readFileSync(join(store, f), "utf8")) as Record<string, unknown>;
      if (entry.label === label) return { path: join(store, f), entry };
    }
    throw new Error(`no stored entry for ${label}`);
  };

  test("a hit never deletes or reverts a file it did not write: it runs the task instead, and says why", () => {
    const { root, run } = fixture();
    run("packages");
    writeFiles(root, {
      "packages/a/build/notes.txt": "hand-made, not an output\n",
      "packages/a/dist/user.txt": "a user's file in dist\n",
    });
    const warm = run("packages");
    expect(warm.code).toBe(0);
    expect(warm.ran).toEqual(["a:build"]);
    expect(warm.stderr).toContain("a build: ran instead of restoring its outputs: packages/a/dist/user.txt");
    expect(readFileSync(join(root, "packages/a/build/notes.txt"), "utf8")).toBe("hand-made, not an output\n");
    expect(readFileSync(join(root, "packages/a/dist/user.txt"), "utf8")).toBe("a user's file in dist\n");
    // A file of its own that someone changed is not reverted either.
    rmSync(join(root, "packages/a/dist/user.txt"));
    run("packages");
    writeFileSync(join(root, "packages/a/dist/sub/a.js"), "edited by hand\n");
    const edited = run("packages");
    expect(edited.ran).toEqual(["a:build"]);
  });

  test("a stored entry whose outputs leave the package is never restored, and writes or deletes nothing", () => {
    const { root, run } = fixture();
    run("packages");
    const victim = tempDir("victim");
    dirs.push(victim);
    writeFileSync(join(victim, "precious.txt"), "keep me\n");
    const { path, entry } = entryOf(root, "a build");
    for (const outputs of [
      [relative(root, victim)],
      [victim],
      ["packages/a/../../" + relative(root, victim)],
    ]) {
      writeFileSync(
        path,
        JSON.stringify({
          ...entry,
          outputs,
          files: [{ path: `${outputs[0]}/planted.txt`, size: 1, hash: "0" }],
        }),
      );
      rmSync(join(root, "packages/a/dist"), { recursive: true, force: true });
      const after = run("packages");
      expect(after.code).toBe(0);
      expect(after.ran).toEqual(["a:build"]);
      expect(readdirSync(victim)).toEqual(["precious.txt"]);
      expect(readFileSync(join(victim, "precious.txt"), "utf8")).toBe("keep me\n");
    }
  });

  test("outputs that go through a symlink are not restored through it", () => {
    const { root, run } = fixture();
    run("packages");
    const elsewhere = tempDir("elsewhere");
    dirs.push(elsewhere);
    rmSync(join(root, "packages/a/dist"), { recursive: true, force: true });
    symlinkSync(elsewhere, join(root, "packages/a/dist"));
    const after = run("packages");
    expect(after.ran).toEqual(["a:build"]);
    expect(after.stderr).toContain("goes through a symlink");
  });

  test("an entry larger than the cap is not stored, and evicts no other", () => {
    const { root, run } = fixture({ cache: { maxMegabytes: 1 } });
    writeFiles(root, {
      "packages/a/package.json": manifest("a", [], {
        build: 'echo a:build >> "$RUNS_LOG"; mkdir -p dist && head -c 2000000 /dev/zero > dist/big.bin',
      }),
    });
    expect(run("packages").ran).toEqual(all("a", "b", "c"));
    expect(run("packages").ran).toEqual(["a:build"]);
    expect(readdirSync(storeOf(root)).filter((f) => f.endsWith(".json"))).toHaveLength(11);
  });

  test("declared outputs replace the default; a path that leaves the package is bad input", () => {
    const { root, run } = fixture({ cache: { packages: { a: { build: { outputs: ["out"] } } } } });
    writeFiles(root, {
      "packages/a/package.json": manifest("a", [], {
        build: 'echo a:build >> "$RUNS_LOG"; mkdir -p out && echo o > out/o.js',
      }),
    });
    run("packages");
    rmSync(join(root, "packages/a/out"), { recursive: true });
    expect(run("packages").ran).toEqual([]);
    expect(readFileSync(join(root, "packages/a/out/o.js"), "utf8")).toBe("o\n");
    const bad = fixture({ cache: { tasks: { build: { outputs: ["../elsewhere"] } } } });
    const r = runCli(".dagger/cli/check.ts", ["packages", "--source", bad.root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cache.tasks.build.outputs.0");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("the cache sees what a task reads outside its package", () => {
  test("a tsconfig extended from outside the package's ancestors is an input, transitively", () => {
    const { root, run } = fixture();
    writeFiles(root, {
      "packages/c/tsconfig.json": '{ "extends": "../../config/tsconfig.shared.json" }\n',
      "config/tsconfig.shared.json": '{\n  // comments are fine\n  "extends": ["./tsconfig.base"],\n}\n',
      "config/tsconfig.base.json": '{ "compilerOptions": { "strict": true } }\n',
    });
    run("packages");
    expect(run("packages").ran).toEqual([]);
    writeFileSync(join(root, "config/tsconfig.base.json"), '{ "compilerOptions": { "strict": false } }\n');
    expect(run("packages").ran).toEqual(all("c"));
  });

  test("declared inputs (globs from the root) re-run the tasks that read them, and only those", () => {
    const { root, run } = fixture({
      cache: {
        tasks: { test: { inputs: ["fixtures/**"] } },
        packages: { c: { lint: { inputs: ["data/*.json"] } } },
      },
    });
    writeFiles(root, { "fixtures/users.json": "[]\n", "data/c.json": "{}\n" });
    run("packages");
    writeFileSync(join(root, "fixtures/users.json"), '[{ "id": 1 }]\n');
    expect(run("packages").ran).toEqual(["a:test", "b:test", "c:test"]);
    writeFileSync(join(root, "data/c.json"), '{ "x": 1 }\n');
    expect(run("packages").ran).toEqual(["c:lint"]);
  });

  test("a package named in cache or coverage settings must exist: a misspelling is bad input", () => {
    for (const config of [
      { cache: { packages: { aa: { build: { outputs: ["dist"] } } } } },
      { cache: { packageEnv: { cc: ["X"] } } },
      { coverage: { packages: { "@nope/x": { lines: 90 } } } },
    ]) {
      const { root } = fixture(config);
      const r = runCli(".dagger/cli/check.ts", ["packages", "--source", root]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /monorepo-ci\.json: (cache|coverage)\.(packages|packageEnv): no workspace package is named/,
      );
    }
  });
});

describe("a cache that cannot store degrades to an uncached run, with one warning", () => {
  const cacheRoot = (root: string) => join(root, "node_modules/.cache/monorepo-ci");
  const layouts: [string, (root: string) => void][] = [
    [
      "the cache directory is a file",
      (root) => {
        rmSync(cacheRoot(root), { recursive: true, force: true });
        writeFiles(root, { "node_modules/.cache/monorepo-ci": "x" });
      },
    ],
    [
      "its parent is a file",
      (root) => {
        rmSync(join(root, "node_modules/.cache"), { recursive: true, force: true });
        writeFiles(root, { "node_modules/.cache": "x" });
      },
    ],
    ["the store is a file", (root) => writeFiles(root, { "node_modules/.cache/monorepo-ci/tasks": "x" })],
  ];
  test.each(layouts)("%s", (_, breakIt) => {
    const { root, run } = fixture();
    const uncached = run("packages", {}, ["--no-cache"]);
    breakIt(root);
    const r = run("packages");
    expect(r.code).toBe(0);
    expect(r.ran).toEqual(uncached.ran);
    expect(r.report.tasks.map((t) => [t.label, t.status])).toEqual(
      uncached.report.tasks.map((t) => [t.label, t.status]),
    );
    expect(r.stderr.match(/cache: off for the rest of this run/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("an entry that is a directory: that task misses, its store fails once, the rest still hit", () => {
    const { root, run } = fixture();
    run("packages");
    const { path } = (() => {
      const store = join(cacheRoot(root), "tasks");
      const f = readdirSync(store).find((n) => n.endsWith(".json")) as string;
      return { path: join(store, f) };
    })();
    rmSync(path);
    mkdirSync(join(path, "not-an-entry"), { recursive: true });
    const r = run("packages");
    expect(r.code).toBe(0);
    expect(r.ran).toHaveLength(1);
    expect(r.report.tasks.filter((t) => t.cached)).toHaveLength(11);
    expect(r.stderr.match(/cache: off for the rest of this run/g)).toHaveLength(1);
  });

  test("a full disk", () => {
    const { root, run } = fixture();
    const dir = cacheRoot(root);
    mkdirSync(dir, { recursive: true });
    const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=4k", "tmpfs", dir]);
    expect(mount.status).toBe(0);
    try {
      writeFiles(root, {
        "packages/a/package.json": manifest("a", [], {
          build: 'echo a:build >> "$RUNS_LOG"; mkdir -p dist && head -c 100000 /dev/zero > dist/big.bin',
        }),
      });
      const r = run("packages");
      expect(r.code).toBe(0);
      expect(r.ran).toEqual(all("a", "b", "c"));
      expect(r.stderr.match(/cache: off for the rest of this run/g)).toHaveLength(1);
      expect(r.stderr).toContain("ENOSPC");
    } finally {
      spawnSync("umount", [dir]);
    }
  });
});
