// The npm package as a user gets it: packed by `bun pm pack`, added to a copy of the demo with
// `bun add -d <tarball>` and nothing else copied, then used through its one command. The install
// is `--offline` behind a dead proxy: .ci/setup made the same install once, so bun's cache has
// every package, and any attempt at the network fails the test instead of passing quietly.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { CiReport } from "../../.dagger/src/plan/result.ts";
import { schemaProblems } from "../../.buildkite/lib/pipeline/schema.ts";
import { EXAMPLE, REPO } from "../support/helpers.ts";

// Packing, installing and running every check are real processes; the clock is not the test.
setDefaultTimeout(600_000);

const OFFLINE = { HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9" };
const dirs: string[] = [];
let tarball = "";
let repo = "";

function run(cwd: string, argv: string[], env: Record<string, string> = {}) {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd as string, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const packDir = mkdtempSync(join(tmpdir(), "monorepo-ci-pack-"));
  dirs.push(packDir);
  // The schema validator the package carries is built by this repository's install (prepare).
  expect(existsSync(join(REPO, ".buildkite/.build/pipeline-validate.mjs"))).toBe(true);
  const packed = run(REPO, ["bun", "pm", "pack", "--destination", packDir, "--ignore-scripts"]);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz")) ?? "");

  // The demo as a user's repository: its own files and config, none of ours, nothing installed.
  repo = mkdtempSync(join(tmpdir(), "monorepo-ci-user-"));
  dirs.push(repo);
  cpSync(EXAMPLE, repo, {
    recursive: true,
    filter: (src) => !["node_modules", "dist", "coverage"].includes(basename(src)),
  });
  expect(run(repo, ["git", "init", "-q"]).code).toBe(0);
  const added = run(repo, ["bun", "add", "-d", tarball, "--offline"], OFFLINE);
  if (added.code !== 0) {
    throw new Error(
      `bun add --offline of the packed tarball failed; bash .ci/setup warms bun's cache for it:\n${added.stderr}`,
    );
  }
});

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const cli = (args: string[]) => run(repo, [join(repo, "node_modules/.bin/monorepo-ci"), ...args]);

describe("monorepo-ci, installed as one package", () => {
  test("the tarball carries the module's code, the wrappers and the built validator, and no tests", () => {
    const listed = run(REPO, ["tar", "-tzf", tarball]).stdout.split("\n");
    for (const file of [
      "package/.dagger/cli/monorepo-ci.ts",
      "package/.dagger/src/index.ts",
      "package/.buildkite/scripts/run-dagger.sh",
      "package/.buildkite/.build/pipeline-validate.mjs",
      "package/.dagger/versions.json",
    ]) {
      expect(listed).toContain(file);
    }
    expect(listed.filter((f) => f.startsWith("package/test/") || f.includes("/examples/"))).toEqual([]);
  });

  test("one command lists its subcommands; an unknown one is bad input naming it", () => {
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    for (const sub of ["check", "pipeline", "run", "release", "readmes", "binaries", "review"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${sub} `, "m"));
    }
    const bad = cli(["deploy"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown subcommand "deploy"');
  });

  test("check ci passes on the user's repository, with nothing of ours copied into it", () => {
    const out = join(repo, "..", `${basename(repo)}-ci.json`);
    dirs.push(out);
    const r = cli(["check", "ci", "--json", out]);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as CiReport;
    expect(report.status).toBe("passed");
    expect(report.checks.map((c) => c.key).sort()).toEqual([
      "birmel",
      "compliance",
      "mobile",
      "packages",
      "quality",
    ]);
    for (const ours of [".dagger", ".buildkite", "dagger.json", "justfile"]) {
      expect(existsSync(join(repo, ours))).toBe(false);
    }
  });

  test("pipeline prints a schema-valid pipeline whose wrappers exist in the install", () => {
    const r = cli(["pipeline"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { steps: { command: string }[] };
    expect(schemaProblems(doc)).toEqual([]);
    expect(doc.steps.length).toBeGreaterThan(0);
    for (const step of doc.steps) {
      const wrapper = step.command.split(" ")[0] ?? "";
      expect(wrapper).toStartWith("node_modules/monorepo-ci/.buildkite/scripts/");
      expect(existsSync(join(repo, wrapper))).toBe(true);
    }
  });
});
