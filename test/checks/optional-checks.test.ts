// A monorepo with neither a mobile app nor a service adopts monorepo-ci: mobile and birmel are
// simply not configured. ci runs the rest, the two say so when asked for, the generated pipeline
// has no step for them, and the engine's functions agree.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
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
      new Set(["@example/birmel", "@example/mobile", "@example/money", "@example/strings"]),
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
