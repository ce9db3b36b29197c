// The GitHub workflows generated from the catalog: up to date, actionlint-clean, and shaped as
// the catalog says (one job per check, ci after them, code review on PRs, releases on tags).
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { catalog, cliName } from "../../.dagger/src/catalog/catalog.ts";
import { lintWorkflows } from "../../.dagger/src/checks/quality/actionlint.ts";
import { branchNameProblem } from "../../.dagger/src/config/git-names.ts";
import { ReleaseSettings } from "../../.dagger/src/config/schema.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import {
  ACTIONS,
  ciWorkflow,
  CI_WORKFLOW,
  RELEASE_WORKFLOW,
  renderWorkflows,
} from "../../.dagger/src/github/workflows.ts";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { REPO, runCli } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";

type Step = { uses?: string; with?: Record<string, unknown>; run?: string; env?: Record<string, string> };
type Job = {
  name: string;
  needs?: string[];
  if?: string;
  "continue-on-error"?: boolean;
  "timeout-minutes": number;
  permissions?: Record<string, string>;
  steps: Step[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": unknown };
  jobs: Record<string, Job>;
};

const text = (file: string) => readFileSync(join(REPO, file), "utf8");
const ci = parse(text(CI_WORKFLOW)) as Workflow;
const release = parse(text(RELEASE_WORKFLOW)) as Workflow;
const engine = (JSON.parse(text("dagger.json")) as { engineVersion: string }).engineVersion;
const entry = (key: string) => catalog.find((e) => e.key === key) as (typeof catalog)[number];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("the generated GitHub workflows", () => {
  test("are what the catalog, dagger.json and monorepo-ci.json make today", async () => {
    const rendered = await renderWorkflows(new HostSource(REPO), catalog);
    expect([...rendered.keys()]).toEqual([CI_WORKFLOW, RELEASE_WORKFLOW]);
    for (const [file, want] of rendered) expect(text(file)).toBe(want);
  });

  test("give no job a Turborepo token: the checks run in Dagger, whose cache serves them", async () => {
    const dir = tempDir("workflows-remote-cache");
    dirs.push(dir);
    writeFiles(dir, {
      "dagger.json": text("dagger.json"),
      "package.json": JSON.stringify({ name: "r", private: true, workspaces: ["packages/*"] }),
      "monorepo-ci.json": JSON.stringify({
        cache: { remote: { url: "https://cache.example.com", team: "acme" } },
      }),
    });
    const rendered = await renderWorkflows(new HostSource(dir), catalog);
    expect(rendered.size).toBeGreaterThan(0);
    for (const body of rendered.values()) expect(body).not.toContain("TURBO");
  });

  test("are actionlint-clean, as the quality check requires", async () => {
    const view = new HostSource(REPO);
    expect((await lintWorkflows(view, [CI_WORKFLOW, RELEASE_WORKFLOW])).findings).toEqual([]);
  });

  test("ci.yml: one job per check, ci after all of them, code review on pull requests only", () => {
    const checks = catalog.filter((e) => e.kind === "check");
    expect(Object.keys(ci.jobs)).toEqual([...checks.map((e) => e.key), "ci", "code-review"]);
    expect(ci.on).toEqual({ push: { branches: ["main"] }, pull_request: {} });
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.concurrency).toEqual({
      group: "${{ github.workflow }}-${{ github.ref }}",
      "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    });
    for (const e of checks) {
      const job = ci.jobs[e.key] as Job;
      expect(job["timeout-minutes"]).toBe(e.timeoutMinutes);
      const call = job.steps.find((s) => s.uses?.startsWith(ACTIONS.dagger.uses)) as Step;
      expect(call.with?.version).toBe(engine);
      expect(call.with?.args).toBe(`${cliName(e.daggerFunction)} --source=.`);
      // Dagger Cloud's token, only when the run is not a fork's pull request.
      expect(String(call.with?.["cloud-token"])).toContain(
        "github.event.pull_request.head.repo.full_name == github.repository",
      );
      expect(String(call.with?.["cloud-token"])).toContain("secrets.DAGGER_CLOUD_TOKEN");
    }
    expect(ci.jobs.ci?.needs).toEqual(entry("ci").dependsOn);
    expect(ci.jobs.ci?.["timeout-minutes"]).toBe(entry("ci").timeoutMinutes);
    const review = ci.jobs["code-review"] as Job;
    expect(review.if).toBe("github.event_name == 'pull_request'");
    expect(review["continue-on-error"]).toBe(true);
  });

  test("release.yml: publish then github-release on v*.*.* tags, each with only the permissions it needs", () => {
    expect(release.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(release.permissions).toEqual({ contents: "read" });
    expect(Object.keys(release.jobs)).toEqual(["publish", "github-release"]);
    expect(release.jobs.publish?.permissions).toEqual({ contents: "read", packages: "write" });
    expect(release.jobs["github-release"]?.permissions).toEqual({ contents: "write" });
    expect(release.jobs["github-release"]?.needs).toEqual(["publish"]);
  });

  test("every action is pinned to a full commit SHA with its release in a comment", () => {
    for (const file of [CI_WORKFLOW, RELEASE_WORKFLOW]) {
      const uses = text(file)
        .split("\n")
        .filter((l) => l.includes("uses:"));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test("no run: script holds a ${{ }} expression: run-time values arrive through env", () => {
    for (const wf of [ci, release]) {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps) if (step.run) expect(step.run).not.toContain("${{");
      }
    }
    // The tag, the base branch: only ever environment values.
    expect(text(RELEASE_WORKFLOW)).toContain("TAG: ${{ github.ref_name }}");
    expect(text(CI_WORKFLOW)).toContain("BASE_REF: ${{ github.base_ref }}");
  });

  test("bun run readmes --check fails on a stale workflow, naming it; bun run readmes rewrites it", () => {
    const root = tempDir("workflows");
    dirs.push(root);
    writeFiles(root, {
      "README.md": text("README.md"),
      justfile: text("justfile"),
      "dagger.json": text("dagger.json"),
      "monorepo-ci.json": text("monorepo-ci.json"),
      [CI_WORKFLOW]: text(CI_WORKFLOW).replace("timeout-minutes: 10", "timeout-minutes: 99"),
    });
    const stale = runCli(".dagger/cli/readmes.ts", ["--check", "--source", root]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`out of date: ${CI_WORKFLOW}, ${RELEASE_WORKFLOW}`);
    expect(runCli(".dagger/cli/readmes.ts", ["--source", root]).code).toBe(0);
    expect(readFileSync(join(root, CI_WORKFLOW), "utf8")).toBe(text(CI_WORKFLOW));
    expect(runCli(".dagger/cli/readmes.ts", ["--check", "--source", root]).code).toBe(0);
  });

  test("a source without dagger.json is bad input: exit 2, naming it", () => {
    const root = tempDir("workflows-no-dagger");
    dirs.push(root);
    writeFiles(root, {
      "README.md": text("README.md"),
      justfile: text("justfile"),
      "monorepo-ci.json": text("monorepo-ci.json"),
    });
    writeFileSync(join(root, "x"), "");
    const r = runCli(".dagger/cli/readmes.ts", ["--check", "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no dagger.json");
  });
});

describe("the default branch in ci.yml's push filter", () => {
  const root = tempDir("workflows-lint");
  dirs.push(root);
  const lintText = async (yml: string) => {
    writeFiles(root, { [CI_WORKFLOW]: yml });
    return (await lintWorkflows(new HostSource(root), [CI_WORKFLOW])).findings;
  };
  const linted = async (branch: string) => {
    const yml = ciWorkflow(catalog, {
      engineVersion: engine,
      config: { release: { ...ReleaseSettings.parse({}), defaultBranch: branch } },
    });
    return { yml, findings: await lintText(yml) };
  };

  // Every character git allows in a branch name, and the filter's own special characters.
  const ALPHABET = [..."ab/-_.+!]{}$#'\"%@=,;<>|&()é中", "${{", "}}"];
  /** A deterministic stream of names: the same cases on every run, and on every machine. */
  function* names(count: number): Generator<string> {
    let seed = 20;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let made = 0; made < count;) {
      const name = Array.from({ length: 1 + (next() % 8) }, () => ALPHABET[next() % ALPHABET.length]).join(
        "",
      );
      if (branchNameProblem(name)) continue;
      made++;
      yield name;
    }
  }

  test("every valid branch name is written actionlint-clean, matching only itself, or refused", async () => {
    let refused = 0;
    for (const name of [
      ...names(300),
      "a+b",
      "!x",
      "a]b",
      "x${{y}}",
      "${{ secrets.TOKEN }}".replaceAll(" ", ""),
    ]) {
      let result: Awaited<ReturnType<typeof linted>>;
      try {
        result = await linted(name);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect(name).toContain("${{");
        expect((error as Error).message).toContain("release.defaultBranch");
        refused++;
        continue;
      }
      expect({ name, findings: result.findings }).toEqual({ name, findings: [] });
      const filter = (parse(result.yml) as Workflow).on.push as { branches: string[] };
      // Unescaped, the filter is the name itself: no glob character is left to widen it.
      expect(filter.branches[0]?.replace(/\\(.)/g, "$1")).toBe(name);
      expect(filter.branches[0]).not.toMatch(/(^|[^\\])[+!*?[]/);
    }
    expect(refused).toBeGreaterThan(1);
  }, 120_000);

  test("a refused name is bad input to bun run readmes: exit 2, naming the key, nothing written", () => {
    const root = tempDir("workflows-branch");
    dirs.push(root);
    const readme = text("README.md").replace(
      /(<!-- BEGIN GENERATED[^>]*-->)[\s\S]*?(<!-- END GENERATED)/,
      "$1\nstale\n$2",
    );
    writeFiles(root, {
      "README.md": readme,
      justfile: text("justfile"),
      "dagger.json": text("dagger.json"),
      "monorepo-ci.json": JSON.stringify({ release: { defaultBranch: "feat${{x}}" } }),
    });
    const r = runCli(".dagger/cli/readmes.ts", ["--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('release.defaultBranch "feat${{x}}"');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(root, "README.md"), "utf8")).toBe(readme);
    expect(existsSync(join(root, CI_WORKFLOW))).toBe(false);
  });

  test("actionlint's findings about a backslash in a user's own workflow are findings, not a crash", async () => {
    const yml =
      "on:\n  push:\n    branches: ['a\\]b']\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n";
    const findings = await lintText(yml);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.message).toContain("character '\\' is invalid");
  });
});
