// A monorepo with neither a mobile app nor a service adopts monorepo-ci: mobile and birmel are
// simply not configured. ci runs the rest, the two say so when asked for, the generated pipeline
// has no step for them, and the engine's functions agree.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { lintWorkflows } from "../../.dagger/src/checks/quality/actionlint.ts";
import { CI_WORKFLOW, RELEASE_WORKFLOW } from "../../.dagger/src/github/workflows.ts";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { join } from "node:path";
import type { CiReport } from "../../.dagger/src/plan/result.ts";
import { invoke } from "../support/engine/invoke.ts";
import { copyExample, editJson, REPO, runCli } from "../support/helpers.ts";
import { git } from "../support/git.ts";

setDefaultTimeout(300_000);

let root: string;
beforeAll(() => {
  // The demo as a second example, configured with neither key: its mobile and service packages
  // become ordinary packages.
  root = copyExample();
  editJson(root, "monorepo-ci.json", (cfg) => {
    delete cfg.mobile;
    delete cfg.birmel;
    delete cfg.binaries;
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a monorepo without mobile and birmel", () => {
  test("bun run check ci runs the configured checks, says which are not, and passes", () => {
    const json = join(root, "..", `${root.split("/").at(-1)}-ci.json`);
    const r = runCli(".dagger/cli/check.ts", ["ci", "--source", root, "--json", json]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("not run, not configured in monorepo-ci.json: mobile, birmel");
    const report = JSON.parse(readFileSync(json, "utf8")) as CiReport;
    rmSync(json, { force: true });
    expect(report.checks.map((c) => c.key)).toEqual(["compliance", "quality", "packages"]);
    expect(report.notConfigured).toEqual(["mobile", "birmel"]);
    const packages = report.checks.find((c) => c.key === "packages");
    const covered = new Set(packages?.tasks.map((t) => t.package));
    expect(covered).toEqual(
      new Set([
        "@example/birmel",
        "@example/mobile",
        "@example/money",
        "@example/strings",
        "example-monorepo (root)",
      ]),
    );
  });

  test.each(["mobile", "birmel"])("bun run check %s is bad input, saying it is not configured", (key) => {
    const r = runCli(".dagger/cli/check.ts", [key, "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${key} is not configured: monorepo-ci.json has no "${key}" key`);
    expect(r.stdout).toBe("");
  });

  test("the generated pipeline has no step for them, and --explain says why", () => {
    git(root, "init", "--quiet", "--initial-branch=main");
    git(root, "add", "-A");
    git(root, "-c", "user.email=a@b", "-c", "user.name=a", "commit", "--quiet", "-m", "x");
    const r = Bun.spawnSync(["bun", join(REPO, ".buildkite/generate-pipeline.ts"), "--explain"], {
      cwd: root,
      env: { ...process.env, BUILDKITE_BRANCH: "main", BUILDKITE_PIPELINE_DEFAULT_BRANCH: "main" },
    });
    expect(r.exitCode).toBe(0);
    const steps = (JSON.parse(r.stdout.toString()) as { steps: { key: string; depends_on?: string[] }[] })
      .steps;
    expect(steps.map((s) => s.key)).not.toContain("mobile");
    expect(steps.map((s) => s.key)).not.toContain("birmel");
    expect(steps.find((s) => s.key === "ci")?.depends_on).toEqual(["compliance", "quality", "packages"]);
    expect(r.stderr.toString()).toMatch(/mobile.*not configured in monorepo-ci\.json/);
    expect(r.stderr.toString()).toMatch(/birmel.*not configured in monorepo-ci\.json/);
  });

  test("bun run readmes writes no job, need, recipe or table row for them; a team's own files stay theirs", async () => {
    const text = (f: string) => readFileSync(join(REPO, f), "utf8");
    writeFileSync(join(root, "dagger.json"), text("dagger.json"));
    writeFileSync(join(root, "justfile"), text("justfile"));
    // A README of the team's own, without our marker lines: left as it is, and said so.
    writeFileSync(join(root, "README.md"), "# Our monorepo\n");
    // A workflow of the team's own: never overwritten without --force.
    mkdirSync(join(root, ".github/workflows"), { recursive: true });
    writeFileSync(join(root, CI_WORKFLOW), "name: ours\n");
    const refused = runCli(".dagger/cli/readmes.ts", ["--source", root]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${CI_WORKFLOW}: not written by monorepo-ci, so not overwritten`);
    expect(readFileSync(join(root, CI_WORKFLOW), "utf8")).toBe("name: ours\n");
    expect(readFileSync(join(root, "justfile"), "utf8")).toBe(text("justfile"));

    const forced = runCli(".dagger/cli/readmes.ts", ["--source", root, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("note: README.md: no marker lines");
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe("# Our monorepo\n");
    const ci = parse(readFileSync(join(root, CI_WORKFLOW), "utf8")) as {
      jobs: Record<string, { needs?: string[] }>;
    };
    expect(Object.keys(ci.jobs)).toEqual(["compliance", "quality", "packages", "ci", "code-review"]);
    expect(ci.jobs.ci?.needs).toEqual(["compliance", "quality", "packages"]);
    expect((await lintWorkflows(new HostSource(root), [CI_WORKFLOW, RELEASE_WORKFLOW])).findings).toEqual([]);
    const recipes = readFileSync(join(root, "justfile"), "utf8");
    expect(recipes).not.toMatch(/^mobile \*args:/m);
    expect(recipes).not.toMatch(/^birmel \*args:/m);
    expect(recipes).toMatch(/^packages \*args:/m);
    // Now ours: rewritten again without --force, and up to date.
    expect(runCli(".dagger/cli/readmes.ts", ["--source", root, "--check"]).code).toBe(0);
  });

  test("in the engine, mobileCi and birmelValidation pass saying so (dagger check), and ci reports the configured checks", async () => {
    for (const [fn, key, label] of [
      ["mobileCi", "mobile", ":iphone: Mobile"],
      ["birmelValidation", "birmel", ":robot_face: Birmel"],
    ] as const) {
      const r = await invoke({ fn, sourceDir: root });
      expect(r.exitCode).toBe(0);
      expect(r.recording.returned?.kind).toBe("value");
      const said = String(r.recording.returned?.kind === "value" && r.recording.returned.value);
      expect(said).toStartWith(`${label}: NOT CONFIGURED (nothing run)`);
      expect(said).toContain(`${key} is not configured: monorepo-ci.json has no "${key}" key`);
      expect(r.recording.execs.filter((e) => e.argv.join(" ").includes(`plan ${key}`))).toEqual([]);
    }
    const ci = await invoke({ fn: "ci", sourceDir: root });
    expect(ci.recording.returned?.kind).toBe("value");
    const text = String(ci.recording.returned?.kind === "value" && ci.recording.returned.value);
    expect(text).toContain("not run, not configured in monorepo-ci.json: mobile, birmel");
    expect(text).not.toContain(":iphone: Mobile");
  });
});
