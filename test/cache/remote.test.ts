// The remote tier of the host cache against the real thing: `turborepo-remote-cache` (a pinned
// devDependency, filesystem storage, 127.0.0.1, a free port) for round trips, signatures and
// forks; and stand-in servers no kinder than a broken one for the faults (one that never
// answers, one that answers 500, one that sends garbage). Every run goes through
// `bun run check packages` as a user runs it; what ran is recorded by the scripts themselves.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { artifactTag } from "../../.dagger/src/cache/remote.ts";
import type { CiReport } from "../../.dagger/src/plan/result.ts";
import { copyExample, REPO, runCli } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";
import { startRemoteCacheServer, type RemoteCacheServer } from "../support/remote-cache-server.ts";

// Each test starts servers and runs the CLI several times; the clock is not the test.
setDefaultTimeout(300_000);

const TOKEN = "remote-cache-token-7f3a9c";
const TEAM = "acme";
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every artifact the server holds for a team (files under <storage>/<team>/, tags aside). */
const stored = (storage: string, team = TEAM) =>
  existsSync(join(storage, team))
    ? readdirSync(join(storage, team)).filter((f) => /^[0-9a-f]{64}$/.test(f))
    : [];

/** An artifact's JSON as the server keeps it. */
const body = (storage: string, f: string) =>
  JSON.parse(
    new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(readFileSync(join(storage, TEAM, f))))),
  ) as { bundle?: 1; entry?: { key: string }; artifacts?: { entry: { key: string } }[] };

/** The stored bundles that hold the artifact for `key`. */
const bundlesWith = (storage: string, key: string) =>
  stored(storage).filter((f) => body(storage, f).artifacts?.some((a) => a.entry.key === key));

const SCRIPTS = ["typecheck", "lint", "test", "build"];

let repos = 0;

/**
 * b depends on a; a's build writes dist/. Scripts record each run outside the tree. Each repo's
 * sources differ, so its tasks' keys are its own: what one test put on the shared server is never
 * another's hit.
 */
function makeRepo(): string {
  const id = ++repos;
  const root = tempDir("remote-repo");
  dirs.push(root);
  const scripts = (name: string) =>
    Object.fromEntries(
      SCRIPTS.map((s) => [
        s,
        s === "build"
          ? `echo ${name}:build >> "$RUNS_LOG"; mkdir -p dist && echo built-${name} > dist/${name}.js`
          : `echo ${name}:${s} >> "$RUNS_LOG"`,
      ]),
    );
  writeFiles(root, {
    "package.json": JSON.stringify({ name: "fixture", private: true, workspaces: ["packages/*"] }),
    "bun.lock": '{ "lockfileVersion": 1 }\n',
    "monorepo-ci.json": "{}\n",
    "packages/a/package.json": JSON.stringify({ name: "a", private: true, scripts: scripts("a") }),
    "packages/a/src/index.ts": `export const a = 1; // repo ${id}\n`,
    "packages/b/package.json": JSON.stringify({
      name: "b",
      private: true,
      scripts: scripts("b"),
      dependencies: { a: "workspace:*" },
    }),
    "packages/b/src/index.ts": `export const b = 2; // repo ${id}\n`,
  });
  return root;
}

/** A second machine: the same tree, none of the first one's local cache or outputs. */
function cloneOf(root: string): string {
  const copy = tempDir("remote-clone");
  dirs.push(copy);
  cpSync(root, copy, {
    recursive: true,
    filter: (src) => !src.includes("node_modules") && !src.endsWith("/dist"),
  });
  return copy;
}

type Report = { tasks: { label: string; status: string; cached?: boolean; cacheTier?: string }[] };

function run(root: string, env: Record<string, string>, extra: string[] = []) {
  const out = tempDir("remote-out");
  dirs.push(out);
  const log = join(out, "runs.log");
  writeFileSync(log, "");
  const r = runCli(
    ".dagger/cli/check.ts",
    ["packages", "--source", root, "--json", join(out, "r.json"), ...extra],
    {
      RUNS_LOG: log,
      TURBO_TEAM: TEAM,
      ...env,
    },
  );
  const report = JSON.parse(readFileSync(join(out, "r.json"), "utf8")) as Report;
  const ran = readFileSync(log, "utf8").split("\n").filter(Boolean).sort();
  return { ...r, report, ran, text: r.stdout + r.stderr + JSON.stringify(report) };
}

const ALL = ["a", "b"].flatMap((n) => SCRIPTS.map((s) => `${n}:${s}`)).sort();

let server: RemoteCacheServer;
beforeAll(async () => {
  server = await startRemoteCacheServer(TOKEN, true);
});
afterAll(() => server.stop());

describe("the remote cache, against turborepo-remote-cache", () => {
  test("a second machine gets every task from the remote, outputs and all, and says so", () => {
    const env = { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: "k1" };
    const first = makeRepo();
    const before = new Set(stored(server.storage));
    const cold = run(first, env);
    expect(cold.code).toBe(0);
    expect(cold.ran).toEqual(ALL);
    // Each task's artifact, and the plan's bundle of all of them.
    const kept = stored(server.storage)
      .filter((f) => !before.has(f))
      .map((f) => body(server.storage, f));
    expect(kept.filter((b) => b.entry).length).toBe(ALL.length);
    expect(kept.filter((b) => b.bundle).map((b) => b.artifacts?.length)).toEqual([ALL.length]);

    const second = cloneOf(first);
    const warm = run(second, env);
    expect(warm.code).toBe(0);
    expect(warm.ran).toEqual([]);
    expect(warm.report.tasks.every((t) => t.cached && t.cacheTier === "remote")).toBe(true);
    expect(readFileSync(join(second, "packages/a/dist/a.js"), "utf8")).toBe("built-a\n");
    expect(warm.stdout).toMatch(/a build\s+✔ passed \(cached remote, /);
    expect(warm.stderr).toContain("(0 local, 8 remote)");
    // Kept locally: the next run there is a local hit.
    const again = run(second, env);
    expect(again.ran).toEqual([]);
    expect(again.report.tasks.every((t) => t.cacheTier === "local")).toBe(true);
    expect(warm.text).not.toContain(TOKEN);
    // The structured log (on stderr) says where each hit came from, as the traces do.
    const events = run(cloneOf(first), env, ["--log-format", "json"])
      .stderr.split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { event: string; cache_tier?: string; [k: string]: unknown });
    const finished = events.filter((e) => e.event === "task_finished");
    expect(finished.length).toBe(ALL.length);
    expect(finished.every((e) => e.cache_tier === "remote")).toBe(true);
    expect(events.find((e) => e.event === "cache")).toMatchObject({
      hits: ALL.length,
      local_hits: 0,
      remote_hits: ALL.length,
    });
  });

  test("a second machine on the same tree gets the whole plan from its bundle alone", () => {
    // Signed: this server serves only what came with a tag.
    const env = { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: "bundles" };
    const first = makeRepo();
    const before = new Set(stored(server.storage));
    expect(run(first, env).ran).toEqual(ALL);
    const added = stored(server.storage).filter((f) => !before.has(f));
    // Only the bundle left on the server: every hit below came from it.
    for (const f of added) if (!body(server.storage, f).bundle) rmSync(join(server.storage, TEAM, f));
    const second = cloneOf(first);
    const warm = run(second, env);
    expect(warm.ran).toEqual([]);
    expect(warm.stderr).toContain(`(0 local, ${ALL.length} remote)`);
    expect(readFileSync(join(second, "packages/a/dist/a.js"), "utf8")).toBe("built-a\n");

    // Another tree (b changed) is another bundle, which the first run of that tree uploads at its
    // end (its tasks all ran: their own artifacts were removed above).
    const third = cloneOf(first);
    writeFileSync(join(third, "packages/b/src/index.ts"), "export const b = 3;\n");
    const mixed = run(third, env);
    expect(mixed.ran).toEqual(ALL);
    const fourth = cloneOf(third);
    for (const f of stored(server.storage))
      if (!body(server.storage, f).bundle) rmSync(join(server.storage, TEAM, f));
    expect(run(fourth, env).ran).toEqual([]);
  });

  test("a team named by ID is sent as teamId, and its ID is part of every tag", () => {
    const byId = { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: "ids" };
    const first = makeRepo();
    const id = "team_Q7w2";
    expect(run(first, { ...byId, TURBO_TEAM: "", TURBO_TEAMID: id }).ran).toEqual(ALL);
    // The server keeps a team's artifacts under its name, whichever way it was given.
    expect(stored(server.storage, id).length).toBeGreaterThan(ALL.length);
    expect(run(cloneOf(first), { ...byId, TURBO_TEAM: "", TURBO_TEAMID: id }).ran).toEqual([]);
    // The same artifacts asked for by a slug of the same name: the tag was made with the ID, so
    // none verifies without it.
    const bySlug = run(cloneOf(first), { ...byId, TURBO_TEAM: id });
    expect(bySlug.ran).toEqual(ALL);
    expect(bySlug.stderr).toContain("its signature does not verify, so it was not used");
  });

  test("a plan with a failed task uploads no bundle; its passes go up one by one", () => {
    const root = makeRepo();
    const manifest = JSON.parse(readFileSync(join(root, "packages/b/package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    manifest.scripts.test = "exit 1";
    writeFileSync(join(root, "packages/b/package.json"), JSON.stringify(manifest));
    const before = new Set(stored(server.storage));
    const r = run(root, { TURBO_API: server.url, TURBO_TOKEN: TOKEN });
    expect(r.code).not.toBe(0);
    const added = stored(server.storage).filter((f) => !before.has(f));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((f) => body(server.storage, f).bundle)).toEqual([]);
  });

  test("a clean second clone of the demo runs check ci with every exec task a remote hit", () => {
    const env = { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: "demo-key" };
    const ci = (root: string) => {
      const out = join(tempDir("remote-demo-out"), "ci.json");
      dirs.push(dirname(out));
      const r = runCli(".dagger/cli/check.ts", ["ci", "--source", root, "--json", out], {
        TURBO_TEAM: TEAM,
        ...env,
      });
      return { ...r, report: JSON.parse(readFileSync(out, "utf8")) as CiReport };
    };
    // A clean clone: the demo's dependencies, none of any earlier run's local cache.
    const clean = () => {
      const root = copyExample();
      dirs.push(root);
      rmSync(join(root, "node_modules", ".cache"), { recursive: true, force: true });
      return root;
    };
    expect(ci(clean()).code).toBe(0);
    const second = clean();
    const { code, report, stderr } = ci(second);
    expect(code).toBe(0);
    // Exec tasks carry an exit code; inline ones (compliance's, the secret scan, the smoke test) do not.
    const execs = [...report.checks.flatMap((c) => c.tasks), report.build].filter((t) => t.exitCode !== null);
    expect(execs.length).toBeGreaterThanOrEqual(20);
    for (const t of execs)
      expect({ task: t.label, cached: t.cached, tier: t.cacheTier }).toEqual({
        task: t.label,
        cached: true,
        tier: "remote",
      });
    expect(stderr).toContain(`(0 local, ${execs.length} remote)`);
  });

  test("a secret a task printed is masked before its artifact leaves the machine", () => {
    // Split so this file holds no token a scanner would flag.
    const leaked = ["ghp", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"].join("_");
    const root = makeRepo();
    const manifest = JSON.parse(readFileSync(join(root, "packages/a/package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    manifest.scripts.lint = `echo a:lint >> "$RUNS_LOG"; echo "token ${leaked}"`;
    writeFileSync(join(root, "packages/a/package.json"), JSON.stringify(manifest));
    const before = new Set(stored(server.storage));
    const r = run(root, { TURBO_API: server.url, TURBO_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    const added = stored(server.storage).filter((f) => !before.has(f));
    // Each task's artifact and the plan's bundle: none may carry the secret.
    expect(added.length).toBe(ALL.length + 1);
    const bodies = added.map((f) =>
      new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(readFileSync(join(server.storage, TEAM, f))))),
    );
    expect(bodies.some((b) => b.includes("token "))).toBe(true);
    expect(bodies.some((b) => b.includes(leaked))).toBe(false);
  });

  test("an artifact whose signature does not verify is a miss, said once, and never restored", () => {
    const first = makeRepo();
    run(first, { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: "signer" });
    const second = cloneOf(first);
    const other = run(second, {
      TURBO_API: server.url,
      TURBO_TOKEN: TOKEN,
      TURBO_REMOTE_CACHE_SIGNATURE_KEY: "someone-else",
    });
    expect(other.code).toBe(0);
    expect(other.ran).toEqual(ALL);
    expect(other.stderr).toContain(
      "remote cache: a build: its signature does not verify, so it was not used",
    );
    expect(other.stderr).toContain(
      `remote cache: the bundle of ${ALL.length} tasks: its signature does not verify, so it was not used`,
    );
  });

  test("a fork's pull request reads only: no token sent, nothing uploaded", () => {
    const root = makeRepo();
    const before = stored(server.storage).length;
    const fork = run(root, {
      TURBO_API: server.url,
      TURBO_TOKEN: TOKEN,
      BUILDKITE_PULL_REQUEST: "7",
      BUILDKITE_PULL_REQUEST_REPO: "https://github.com/someone/fork.git",
      BUILDKITE_REPO: "https://github.com/acme/repo.git",
    });
    expect(fork.code).toBe(0);
    expect(fork.ran).toEqual(ALL);
    expect(stored(server.storage).length).toBe(before);
    expect(fork.stderr).toContain(
      "read-only for this run (a pull request from a fork (Buildkite)): no token, no upload",
    );
    expect(fork.text).not.toContain(TOKEN);
  });

  test("a crafted artifact that writes outside its task's outputs is refused before anything is written", async () => {
    const first = makeRepo();
    const signing = "escape-key";
    run(first, { TURBO_API: server.url, TURBO_TOKEN: TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY: signing });
    // Take a's build entry from the first machine's local store and point it elsewhere.
    const tasksDir = join(first, "node_modules/.cache/monorepo-ci/tasks");
    const entryFile = readdirSync(tasksDir).find(
      (f) => f.endsWith(".json") && JSON.parse(readFileSync(join(tasksDir, f), "utf8")).label === "a build",
    );
    const entry = JSON.parse(readFileSync(join(tasksDir, entryFile as string), "utf8")) as Record<
      string,
      unknown
    >;
    const key = entry.key as string;
    const outside = tempDir("remote-outside");
    dirs.push(outside);
    const absolute = join(outside, "absolute.txt");
    const attempts: [string, Record<string, unknown>, { path: string; data: string }[]][] = [
      [
        "a path out of the tree",
        {
          outputs: ["packages/a/dist"],
          files: [
            {
              path: "packages/a/dist/../../../../escaped.txt",
              size: 3,
              hash: Bun.hash.xxHash64("bad").toString(16),
            },
          ],
        },
        [{ path: "packages/a/dist/../../../../escaped.txt", data: Buffer.from("bad").toString("base64") }],
      ],
      [
        "an absolute path",
        {
          outputs: ["packages/a/dist"],
          files: [{ path: absolute, size: 3, hash: Bun.hash.xxHash64("bad").toString(16) }],
        },
        [{ path: absolute, data: Buffer.from("bad").toString("base64") }],
      ],
      [
        "an output the task does not declare",
        {
          outputs: ["packages/a/src"],
          files: [{ path: "packages/a/src/evil.ts", size: 3, hash: Bun.hash.xxHash64("bad").toString(16) }],
        },
        [{ path: "packages/a/src/evil.ts", data: Buffer.from("bad").toString("base64") }],
      ],
    ];
    const [bundle] = bundlesWith(server.storage, key);
    expect(bundle).toBeDefined();
    const put = (hash: string, data: Uint8Array) =>
      fetch(`${server.url}/v8/artifacts/${hash}?slug=${TEAM}`, {
        method: "PUT",
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          "Content-Type": "application/octet-stream",
          // Named by slug only, the team is not in Turborepo's tag: its ID part is empty.
          "x-artifact-tag": artifactTag(signing, hash, "", data),
        },
        body: data,
      });
    const genuine = body(server.storage, bundle as string) as { artifacts: { entry: { key: string } }[] };
    for (const [[what, change, files], route] of attempts.flatMap((a) =>
      (["its own artifact", "the plan's bundle"] as const).map((r) => [a, r] as const),
    )) {
      const crafted = { entry: { ...entry, ...change }, files };
      if (route === "its own artifact") {
        // No bundle to serve the plan: the task's own artifact is asked for.
        rmSync(join(server.storage, TEAM, bundle as string), { force: true });
        expect((await put(key, Bun.gzipSync(JSON.stringify(crafted)))).ok, what).toBe(true);
      } else {
        // Only the bundle to serve it: the task's own artifact (a genuine one by now) is gone.
        rmSync(join(server.storage, TEAM, key), { force: true });
        const artifacts = genuine.artifacts.map((a) => (a.entry.key === key ? crafted : a));
        const data = Bun.gzipSync(JSON.stringify({ ...genuine, artifacts }));
        expect((await put(bundle as string, data)).ok, what).toBe(true);
      }
      const second = cloneOf(first);
      const r = run(second, {
        TURBO_API: server.url,
        TURBO_TOKEN: TOKEN,
        TURBO_REMOTE_CACHE_SIGNATURE_KEY: signing,
      });
      expect(r.code, `${what} through ${route}`).toBe(0);
      expect(r.ran, what).toEqual(["a:build"]);
      expect(r.stderr, what).toMatch(
        /a build: (the remote cache's artifact was not used|ran instead of restoring its outputs)/,
      );
      expect(existsSync(join(second, "..", "escaped.txt")), what).toBe(false);
      expect(existsSync(join(second, "packages/a/src/evil.ts")), what).toBe(false);
      expect(existsSync(absolute), what).toBe(false);
    }
  });
});

/** A server broken in one way, in its own process; its URL once it listens. */
async function brokenServer(
  mode:
    | "hang"
    | "500"
    | "401"
    | "garbage"
    | "stall"
    | "truncated"
    | "endless"
    | "bomb"
    | "put-hang"
    | "put-403"
    | "redirect",
  ...args: string[]
): Promise<string> {
  const child = spawn("bun", [join(REPO, "test/support/broken-remote.ts"), mode, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim())),
  );
  return `http://127.0.0.1:${port}`;
}

describe("a remote that fails degrades to the local cache, with one warning, never a red run", () => {
  const cases: [string, () => Promise<string>, RegExp][] = [
    ["a server that never answers", () => brokenServer("hang"), /no answer within 1s/],
    ["a server that answers 500", () => brokenServer("500"), /HTTP 500/],
    ["a server that refuses the token", () => brokenServer("401"), /HTTP 401/],
    ["a server that sends garbage", () => brokenServer("garbage"), /not a gzipped artifact/],
    ["a server that stops sending mid-body", () => brokenServer("stall"), /no answer within 1s/],
    [
      "a server that closes the connection mid-body",
      () => brokenServer("truncated"),
      /failed \(ECONNRESET: The socket connection was closed unexpectedly\.?\)/,
    ],
    ["a server whose body never ends", () => brokenServer("endless"), /an answer over 1 MB, the cache's cap/],
    [
      "a server whose small body unpacks without end",
      () => brokenServer("bomb"),
      /its body unpacks to more than 2 MB, twice the cache's cap/,
    ],
    ["a server that is down", async () => "http://127.0.0.1:9", /failed \(/],
    [
      "a server that never finishes an upload",
      () => brokenServer("put-hang"),
      // The upload's own deadline, or the bound on waiting for uploads at the end: both are 1s.
      /uploading to .* failed \((no answer within 1s|uploads unfinished 1s after the run)\)/,
    ],
    ["a server that refuses uploads", () => brokenServer("put-403"), /uploading to .* failed \(HTTP 403\)/],
  ];
  test.each(cases)("%s", async (_name, url, warning) => {
    const root = makeRepo();
    mkdirSync(join(root, ".ci"), { recursive: true });
    writeFileSync(
      join(root, "monorepo-ci.json"),
      JSON.stringify({ cache: { maxMegabytes: 1, remote: { timeoutSeconds: 1, uploadTimeoutSeconds: 1 } } }),
    );
    const r = run(root, { TURBO_API: await url(), TURBO_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect(r.ran).toEqual(ALL);
    expect(r.report.tasks.every((t) => t.status === "passed")).toBe(true);
    expect(r.stderr).toMatch(warning);
    // One warning line for the remote, however many tasks asked it.
    expect(r.stderr.split("\n").filter((l) => l.includes("remote cache")).length).toBe(1);
    expect(r.text).not.toContain(TOKEN);
  });
});

test("a redirect to another host is followed without the token", async () => {
  const seen = join(tempDir("remote-redirect"), "seen.log");
  dirs.push(dirname(seen));
  writeFileSync(seen, "");
  const root = makeRepo();
  const r = run(root, { TURBO_API: await brokenServer("redirect", seen), TURBO_TOKEN: TOKEN });
  expect(r.code).toBe(0);
  expect(r.ran).toEqual(ALL);
  const lines = readFileSync(seen, "utf8").split("\n").filter(Boolean);
  // Every GET and every upload reached the other host, and none carried the token.
  expect(lines.filter((l) => l.startsWith("GET")).length).toBeGreaterThan(0);
  expect(lines.filter((l) => l.startsWith("PUT")).length).toBeGreaterThan(0);
  expect(lines.every((l) => l.endsWith("auth:none"))).toBe(true);
});
