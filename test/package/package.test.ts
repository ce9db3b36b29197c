// The npm package as a user gets it: packed by `bun pm pack`, added to a copy of the demo with
// `bun add -d <tarball>` and nothing else copied, then used through its one command. The install
// is `--offline` behind a dead proxy: .ci/setup made the same install once, so bun's cache has
// every package, and any attempt at the network fails the test instead of passing quietly.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
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
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { CiReport } from "../../.dagger/src/plan/result.ts";
import { schemaProblems } from "../../.buildkite/lib/pipeline/schema.ts";
import { MODULE_REF } from "../../.dagger/src/init/package-facts.ts";
import { EXAMPLE, OFFLINE, REPO } from "../support/helpers.ts";

// Packing, installing and running every check are real processes; the clock is not the test.
setDefaultTimeout(600_000);

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

/** The demo as a user's repository: its own files and config, none of ours, nothing installed. */
function demoCopy(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !["node_modules", "dist", "coverage"].includes(basename(src)),
  });
  return dir;
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
  repo = demoCopy("monorepo-ci-user-");
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
      "package/.dagger/schema/monorepo-ci.schema.json",
      "package/dagger.json",
    ]) {
      expect(listed).toContain(file);
    }
    expect(listed.filter((f) => f.startsWith("package/test/") || f.includes("/examples/"))).toEqual([]);
    // The module reference init writes is where package.json says the code lives.
    const { repository } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      repository: { url: string };
    };
    expect(repository.url).toBe(`git+https://${MODULE_REF}.git`);
  });

  test("one command lists its subcommands; an unknown one is bad input naming it", () => {
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    for (const sub of ["init", "check", "pipeline", "run", "release", "readmes", "binaries", "review"]) {
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

  test("init wires the repository, keeps its config, and a second init changes nothing", () => {
    const configBefore = readFileSync(join(repo, "monorepo-ci.json"), "utf8");
    // The demo has a GitHub workflow of its own: init leaves it as it is and names it, writes
    // neither generated workflow, and sets up everything else.
    const ownWorkflow = readFileSync(join(repo, ".github/workflows/ci.yml"), "utf8");
    const first = cli(["init"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("not overwritten .github/workflows/ci.yml: a workflow of yours");
    expect(readFileSync(join(repo, ".github/workflows/ci.yml"), "utf8")).toBe(ownWorkflow);
    expect(existsSync(join(repo, ".github/workflows/release.yml"))).toBe(false);
    expect(first.stdout).toContain("created .buildkite/pipeline.yml");
    expect(first.stdout).toContain("created dagger.json");
    expect(first.stdout).toContain("unchanged monorepo-ci.json");
    expect(readFileSync(join(repo, "monorepo-ci.json"), "utf8")).toBe(configBefore);
    const dagger = JSON.parse(readFileSync(join(repo, "dagger.json"), "utf8")) as {
      toolchains: { name: string; source: string }[];
    };
    expect(dagger.toolchains).toEqual([
      { name: "monorepo", source: expect.stringMatching(/@v\d+\.\d+\.\d+$/) },
    ]);
    // Moved aside, as the message says: init then writes the workflows, calling the toolchain.
    rmSync(join(repo, ".github/workflows/ci.yml"));
    const again = cli(["init"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("created .github/workflows/ci.yml");
    expect(again.stdout).toContain("unchanged dagger.json");
    expect(readFileSync(join(repo, ".github/workflows/ci.yml"), "utf8")).toContain(
      "args: monorepo compliance-check --source=.",
    );
    const pipelineYml = readFileSync(join(repo, ".buildkite/pipeline.yml"), "utf8");
    expect(pipelineYml).toContain("bunx monorepo-ci pipeline | buildkite-agent pipeline upload");
    expect(schemaProblems(Bun.YAML.parse(pipelineYml))).toEqual([]);

    const snapshot = () =>
      [
        "monorepo-ci.json",
        "dagger.json",
        ".buildkite/pipeline.yml",
        ".gitignore",
        ".github/workflows/ci.yml",
      ].map((f) => readFileSync(join(repo, f), "utf8"));
    const before = snapshot();
    const second = cli(["init"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing to change");
    expect(snapshot()).toEqual(before);

    // The generated steps now call the module through its toolchain.
    const steps = (JSON.parse(cli(["pipeline"]).stdout) as { steps: { env: Record<string, string> }[] })
      .steps;
    expect(steps.every((s) => s.env.MONOREPO_CI_TOOLCHAIN === "monorepo")).toBe(true);
  });

  test("init over a pipeline.yml of the team's own leaves it as it is and names it; --dry-run writes nothing", () => {
    const other = demoCopy("monorepo-ci-own-");
    const own = "steps:\n  - command: make ci\n";
    mkdirSync(join(other, ".buildkite"));
    writeFileSync(join(other, ".buildkite/pipeline.yml"), own);
    const gitignore = readFileSync(join(other, ".gitignore"), "utf8");

    // --dry-run first: it shows what it would change and writes nothing.
    const dry = cli(["init", "--dry-run", "--no-workflows", "--source", other]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would create dagger.json");
    expect(dry.stdout).toContain("+ .buildkite/.local/");
    expect(dry.stdout).toContain("not overwritten .buildkite/pipeline.yml");
    expect(existsSync(join(other, "dagger.json"))).toBe(false);
    expect(readFileSync(join(other, ".gitignore"), "utf8")).toBe(gitignore);

    const r = cli(["init", "--no-workflows", "--source", other]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "not overwritten .buildkite/pipeline.yml: yours, not written by monorepo-ci init, so kept as it is",
    );
    expect(readFileSync(join(other, ".buildkite/pipeline.yml"), "utf8")).toBe(own);
    expect(existsSync(join(other, "dagger.json"))).toBe(true);
  });

  test("upgrade from an older packed version moves the toolchain and pipeline.yml, and keeps the user's edits", () => {
    // An older release of the same package: this tree's files under version 0.0.9.
    const old = mkdtempSync(join(tmpdir(), "monorepo-ci-old-"));
    dirs.push(old);
    const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      version: string;
      files: string[];
    };
    for (const entry of [...manifest.files, "README.md", "LICENSE"]) {
      cpSync(join(REPO, entry), join(old, entry), { recursive: true });
    }
    writeFileSync(join(old, "package.json"), JSON.stringify({ ...manifest, version: "0.0.9" }, null, 2));
    const packed = run(old, ["bun", "pm", "pack", "--destination", old, "--ignore-scripts"]);
    expect(packed.code, packed.stderr).toBe(0);

    const user = demoCopy("monorepo-ci-upgrade-");
    const add = (tgz: string) => {
      const r = run(user, ["bun", "add", "-d", tgz, "--offline"], OFFLINE);
      expect(r.code, r.stderr).toBe(0);
    };
    const mci = (args: string[]) => run(user, [join(user, "node_modules/.bin/monorepo-ci"), ...args]);
    add(join(old, "monorepo-ci-0.0.9.tgz"));
    expect(mci(["init", "--no-workflows"]).code).toBe(0);
    expect(readFileSync(join(user, "dagger.json"), "utf8")).toContain("@v0.0.9");
    // The user's own edits: another toolchain of theirs in dagger.json, a line in pipeline.yml's neighbour.
    const dagger = JSON.parse(readFileSync(join(user, "dagger.json"), "utf8")) as Record<string, unknown[]>;
    (dagger.toolchains as unknown[]).push({ name: "theirs", source: "github.com/acme/lint@v2.0.0" });
    writeFileSync(join(user, "dagger.json"), `${JSON.stringify(dagger, null, 2)}\n`);
    writeFileSync(join(user, ".gitignore"), `${readFileSync(join(user, ".gitignore"), "utf8")}tmp/\n`);
    const gitignore = readFileSync(join(user, ".gitignore"), "utf8");

    add(tarball);
    const dry = mci(["upgrade", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`monorepo-ci 0.0.9 → ${manifest.version}`);
    expect(readFileSync(join(user, "dagger.json"), "utf8")).toContain("@v0.0.9");
    const up = mci(["upgrade"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("updated dagger.json");
    expect(up.stdout).toContain("updated .buildkite/pipeline.yml");
    const after = JSON.parse(readFileSync(join(user, "dagger.json"), "utf8")) as {
      toolchains: { name: string; source: string }[];
    };
    expect(after.toolchains.map((t) => t.source)).toEqual([
      expect.stringMatching(new RegExp(`@v${manifest.version.replace(/\./g, "\\.")}$`)),
      "github.com/acme/lint@v2.0.0",
    ]);
    expect(readFileSync(join(user, ".buildkite/pipeline.yml"), "utf8")).toContain(
      `(monorepo-ci ${manifest.version})`,
    );
    expect(readFileSync(join(user, ".gitignore"), "utf8")).toBe(gitignore);
    // Upgraded twice is upgraded once.
    const again = mci(["upgrade"]);
    expect(again.stdout).not.toContain("updated");
  });

  test("a fresh repository (the demo without its config or workflow): install, init, and everything runs", () => {
    const fresh = demoCopy("monorepo-ci-fresh-");
    rmSync(join(fresh, "monorepo-ci.json"));
    rmSync(join(fresh, ".github"), { recursive: true });
    expect(run(fresh, ["git", "init", "-q"]).code).toBe(0);
    expect(run(fresh, ["bun", "add", "-d", tarball, "--offline"], OFFLINE).code).toBe(0);
    const bunx = (args: string[]) => run(fresh, ["bunx", "monorepo-ci", ...args], OFFLINE);

    const init = bunx(["init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("created monorepo-ci.json");
    const out = join(fresh, "..", `${basename(fresh)}-ci.json`);
    dirs.push(out);
    const ci = bunx(["check", "ci", "--json", out]);
    expect(ci.code, ci.stdout.slice(-3000)).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as CiReport;
    // No mobile or service configured: those checks exist nowhere, and say so.
    expect(report.notConfigured.sort()).toEqual(["birmel", "mobile"]);

    const pipeline = bunx(["pipeline"]);
    expect(pipeline.code, pipeline.stderr).toBe(0);
    expect(schemaProblems(JSON.parse(pipeline.stdout))).toEqual([]);
    const dry = bunx(["run", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(":pipeline: monorepo-ci");
    const readmes = bunx(["readmes", "--check"]);
    expect(readmes.code, readmes.stderr).toBe(0);
    expect(readmes.stderr).toContain("up to date");
  });
});
