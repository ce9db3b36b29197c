// The generator end to end: real git repositories (a bare origin and clones of it), the generator
// run as a process with a scenario's Buildkite environment, every output validated.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validatePipeline } from "../../.buildkite/lib/pipeline/validate.ts";
import type { Pipeline } from "../../.buildkite/lib/steps.ts";
import { REPO } from "../support/helpers.ts";
import { commitAll, git, initRepo, tempDir, writeFiles } from "../support/git.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const GENERATOR = join(REPO, ".buildkite/generate-pipeline.ts");
const CHECKS = ["compliance", "quality", "mobile", "birmel", "packages"];

type Run = { code: number | null; stdout: string; stderr: string };

/** The generator with exactly this environment (plus PATH and HOME), in `cwd`. */
function generate(cwd: string, env: Record<string, string>, args: string[] = []): Run {
  const r = spawnSync("bun", [GENERATOR, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the generator and checks what every pipeline must satisfy; returns the pipeline. */
function pipelineFor(
  cwd: string,
  env: Record<string, string>,
  args: string[] = [],
): Pipeline & { stderr: string } {
  const run = generate(cwd, env, args);
  if (run.code !== 0) throw new Error(`generator exited ${run.code}: ${run.stderr}`);
  const pipeline = JSON.parse(run.stdout) as Pipeline;
  validatePipeline(pipeline, "generated");
  for (const step of pipeline.steps) {
    expect(step.concurrency).toBe(1);
    expect(step.concurrency_group).toBe("dagger");
    expect(step.retry).toEqual({
      automatic: [
        { exit_status: -1, limit: 2 },
        { exit_status: 255, limit: 2 },
      ],
    });
    expect(step.timeout_in_minutes).toBeGreaterThan(0);
    expect(step.plugins[0]).toHaveProperty("kubernetes");
    expect(step.command).toMatch(/^\.buildkite\/scripts\/[a-z-]+\.sh( |$)/);
  }
  return { ...pipeline, stderr: run.stderr };
}

const keys = (p: Pipeline) => p.steps.map((s) => s.key);
const step = (p: Pipeline, key: string) => p.steps.find((s) => s.key === key);

let root: string;
let origin: string;
let versions: string;

/** A clone of origin with `feature` branched from main; `change` edits the working tree. */
function clone(name: string, change?: (dir: string) => void, cloneArgs: string[] = []): string {
  const dir = join(root, name);
  git(root, "clone", "--quiet", ...cloneArgs, `file://${origin}`, dir);
  git(dir, "config", "user.email", "dev@example.com");
  git(dir, "config", "user.name", "Dev");
  if (change) {
    git(dir, "checkout", "--quiet", "-b", "feature");
    change(dir);
    commitAll(dir, "feature work");
  }
  return dir;
}

const PR = {
  BUILDKITE_BRANCH: "feature",
  BUILDKITE_PULL_REQUEST: "42",
  BUILDKITE_PULL_REQUEST_BASE_BRANCH: "main",
  BUILDKITE_REPO: "git@github.com:acme/mono.git",
  BUILDKITE_PULL_REQUEST_REPO: "https://github.com/acme/mono",
  BUILDKITE_PIPELINE_DEFAULT_BRANCH: "main",
  BUILDKITE_MESSAGE: "Add a feature",
  BUILDKITE_BUILD_AUTHOR_EMAIL: "dev@example.com",
  BUILDKITE_COMMIT: "0000000000000000000000000000000000000000",
};
const MAIN = {
  ...PR,
  BUILDKITE_BRANCH: "main",
  BUILDKITE_PULL_REQUEST: "false",
  BUILDKITE_PULL_REQUEST_BASE_BRANCH: "",
};

beforeAll(() => {
  root = tempDir("generator");
  origin = join(root, "origin.git");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", origin);
  const seed = initRepo(join(root, "seed"));
  versions = readFileSync(join(REPO, ".dagger/versions.json"), "utf8");
  writeFiles(seed, {
    "monorepo-ci.json": readFileSync(join(REPO, "examples/monorepo/monorepo-ci.json"), "utf8"),
    ".dagger/versions.json": versions,
    "package.json": '{ "name": "mono", "private": true, "workspaces": ["packages/*"] }\n',
    "packages/lib/src/index.ts": "export const one = 1;\n",
    "README.md": "# mono\n",
  });
  commitAll(seed, "initial");
  git(seed, "push", "--quiet", `file://${origin}`, "main");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("generate-pipeline.ts", () => {
  test("a pull request: five independent checks, ci after them, code-review; kept as a snapshot", () => {
    const dir = clone("pr", (d) =>
      writeFiles(d, { "packages/lib/src/index.ts": "export const one = 1 as const;\n" }),
    );
    const p = pipelineFor(dir, PR);
    expect(keys(p)).toEqual([...CHECKS, "ci", "code-review"]);
    for (const key of CHECKS) expect(step(p, key)?.depends_on).toBeUndefined();
    expect(step(p, "ci")?.depends_on).toEqual(CHECKS);
    expect(step(p, "code-review")).toMatchObject({
      soft_fail: true,
      command: ".buildkite/scripts/code-review.sh",
    });
    expect(step(p, "code-review")?.depends_on).toBeUndefined();
    expect(step(p, "compliance")?.command).toBe(
      ".buildkite/scripts/run-dagger.sh compliance-check --source=.",
    );
    expect(p.stderr).toContain("pull-request build; diff base");
    expect({ steps: p.steps }).toMatchSnapshot();
  });

  test("the default branch: update-readmes after ci instead of code-review, with only its secret", () => {
    const dir = clone("main");
    writeFiles(dir, { "packages/lib/src/index.ts": "export const two = 2;\n" });
    commitAll(dir, "on main");
    const p = pipelineFor(dir, MAIN);
    expect(keys(p)).toEqual([...CHECKS, "ci", "update-readmes"]);
    expect(step(p, "update-readmes")?.depends_on).toEqual(["ci"]);
    expect(step(p, "update-readmes")?.secrets).toEqual(["GITHUB_TOKEN"]);
    expect(p.steps.filter((s) => s.secrets).map((s) => s.key)).toEqual(["update-readmes"]);
    expect(p.stderr).toContain("default-branch build; diff base");
  });

  test("update-readmes never runs for its own commit", () => {
    const dir = clone("bot");
    writeFiles(dir, { "README.md": "# mono\n\nregenerated\n" });
    commitAll(dir, "chore(readme): regenerate from the catalog [skip ci]");
    const run = generate(
      dir,
      { ...MAIN, BUILDKITE_BUILD_AUTHOR_EMAIL: "monorepo-ci-bot@users.noreply.github.com" },
      ["--explain"],
    );
    expect(run.code).toBe(0);
    expect(keys(JSON.parse(run.stdout))).not.toContain("update-readmes");
    expect(run.stderr).toMatch(/update-readmes\s+skipped\s+this build is update-readmes' own commit/);
  });

  test("Renovate's versions-only change runs only the checks whose pinned images changed, plus ci", () => {
    const dir = clone("renovate", (d) =>
      writeFiles(d, {
        ".dagger/versions.json": versions.replace(/aquasec\/trivy:[\w.-]+/, "aquasec/trivy:0.99.0"),
      }),
    );
    const p = pipelineFor(dir, PR, ["--explain"]);
    expect(keys(p)).toEqual(["quality", "ci", "code-review"]);
    expect(step(p, "ci")?.depends_on).toEqual(["quality"]);
    expect(p.stderr).toMatch(/mobile\s+skipped\s+versions-only change: none of its pinned images changed/);
    expect(p.stderr).toMatch(/quality\s+included\s+versions-only change: pinned trivy changed/);
  });

  test("a docs-only change skips the checks no doc affects", () => {
    const dir = clone("docs", (d) =>
      writeFiles(d, { "README.md": "# mono\n\nMore words.\n", "docs/guide.md": "# Guide\n" }),
    );
    const p = pipelineFor(dir, PR, ["--explain"]);
    expect(keys(p)).toEqual(["quality", "ci", "code-review"]);
    expect(p.stderr).toMatch(/packages\s+skipped\s+docs-only change: no doc affects it/);
  });

  test("FULL_BUILD=true, or [full-build] in the message, forces everything", () => {
    const dir = clone("full", (d) => writeFiles(d, { "README.md": "# mono\n\nOnly docs.\n" }));
    expect(keys(pipelineFor(dir, { ...PR, FULL_BUILD: "true" }))).toEqual([...CHECKS, "ci", "code-review"]);
    expect(keys(pipelineFor(dir, { ...PR, BUILDKITE_MESSAGE: "Docs [full-build]" }))).toEqual([
      ...CHECKS,
      "ci",
      "code-review",
    ]);
  });

  test("a shallow clone without its base runs the full pipeline and says why", () => {
    clone("for-shallow", (d) => writeFiles(d, { "README.md": "# mono\n\nshallow\n" }));
    git(join(root, "for-shallow"), "push", "--quiet", `file://${origin}`, "feature");
    const dir = join(root, "shallow");
    git(root, "clone", "--quiet", "--depth=1", "--branch", "feature", `file://${origin}`, dir);
    const p = pipelineFor(dir, PR);
    expect(keys(p)).toEqual([...CHECKS, "ci", "code-review"]);
    expect(p.stderr).toContain(
      "warning: running the full pipeline: origin/main is not in this clone (shallow clone)",
    );
  });

  test("a CI_DIFF_BASE that does not resolve runs the full pipeline and says why", () => {
    const dir = clone("unresolved", (d) => writeFiles(d, { "docs/diagram.svg": "<svg/>" }));
    const run = generate(dir, { ...PR, CI_DIFF_BASE: "no-such-ref" });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'warning: running the full pipeline: CI_DIFF_BASE "no-such-ref" is not a commit',
    );
    expect(keys(JSON.parse(run.stdout))).toEqual([...CHECKS, "ci", "code-review"]);
  });

  test("a release tag build: the checks, ci, then publish and github-release, each with only its own secrets", () => {
    const dir = clone("tag");
    const p = pipelineFor(dir, { ...MAIN, BUILDKITE_TAG: "v1.2.3" });
    expect(keys(p)).toEqual([...CHECKS, "ci", "publish", "github-release"]);
    expect(step(p, "publish")).toMatchObject({
      depends_on: ["ci"],
      secrets: ["REGISTRY_USERNAME", "REGISTRY_PASSWORD"],
      command:
        ".buildkite/scripts/ci-main.sh publish --registry-username=env://REGISTRY_USERNAME --registry-password=env://REGISTRY_PASSWORD",
    });
    expect(step(p, "publish")?.env.PUBLISH_REGISTRY).toBe("ghcr.io/example");
    expect(step(p, "github-release")).toMatchObject({
      depends_on: ["publish"],
      secrets: ["GITHUB_TOKEN"],
      command: ".buildkite/scripts/ci-main.sh github-release --github-token=env://GITHUB_TOKEN",
    });
    expect(p.steps.filter((s) => s.secrets).map((s) => s.key)).toEqual(["publish", "github-release"]);
    expect(JSON.stringify(p.steps)).not.toContain("v1.2.3");
  });

  test("a release tag build without a registry fails closed, naming the key", () => {
    const dir = clone("tag-no-registry");
    const cfg = JSON.parse(readFileSync(join(dir, "monorepo-ci.json"), "utf8"));
    delete cfg.release;
    writeFileSync(join(dir, "monorepo-ci.json"), JSON.stringify(cfg));
    const run = generate(dir, { ...MAIN, BUILDKITE_TAG: "v1.2.3" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("monorepo-ci.json: release.registry is required");
    expect(run.stdout).toBe("");
  });

  test("a prebuilt image and the engine concurrency from monorepo-ci.json reach every Dagger step", () => {
    const dir = clone("ci-image");
    const image = `ghcr.io/acme/monorepo-ci@sha256:${"a".repeat(64)}`;
    const cfg = JSON.parse(readFileSync(join(dir, "monorepo-ci.json"), "utf8"));
    cfg.buildkite = { image, engineConcurrency: 2 };
    writeFileSync(join(dir, "monorepo-ci.json"), JSON.stringify(cfg));
    const run = generate(dir, { ...MAIN, BUILDKITE_TAG: "v1.2.3" });
    expect(run.code).toBe(0);
    const p = JSON.parse(run.stdout) as Pipeline;
    validatePipeline(p, "generated");
    expect(p.steps.length).toBeGreaterThan(5);
    for (const s of p.steps) {
      expect(s.concurrency).toBe(2);
      expect(s.concurrency_group).toBe("dagger");
      expect(s.plugins).toEqual([
        expect.objectContaining({
          kubernetes: expect.objectContaining({ podSpec: { containers: [{ image }] } }),
        }),
      ]);
    }
  });

  test.each([
    ["a tag without a digest", { image: "ghcr.io/acme/monorepo-ci:latest" }, "buildkite.image"],
    ["a digest that is not sha256", { image: "ghcr.io/acme/ci@md5:abc" }, "buildkite.image"],
    ["no engine at all", { engineConcurrency: 0 }, "buildkite.engineConcurrency"],
  ])("%s is refused with exit 2, naming the key", (_name, buildkite, key) => {
    const dir = clone(`bad-image-${key}-${Object.keys(buildkite)[0]}-${Math.random().toString(36).slice(2)}`);
    const cfg = JSON.parse(readFileSync(join(dir, "monorepo-ci.json"), "utf8"));
    cfg.buildkite = buildkite;
    writeFileSync(join(dir, "monorepo-ci.json"), JSON.stringify(cfg));
    const run = generate(dir, MAIN);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(key);
    expect(run.stdout).toBe("");
  });

  test("a tag that is not vX.Y.Z is not a release", () => {
    const dir = clone("not-release");
    const p = pipelineFor(dir, { ...MAIN, BUILDKITE_BRANCH: "nightly", BUILDKITE_TAG: "nightly-2026" });
    expect(keys(p)).not.toContain("publish");
  });

  test("a fork's pull request references no secrets", () => {
    const dir = clone("fork", (d) =>
      writeFiles(d, { "packages/lib/src/index.ts": "export const fork = 1;\n" }),
    );
    const run = generate(dir, { ...PR, BUILDKITE_PULL_REQUEST_REPO: "https://github.com/mallory/mono.git" });
    expect(run.code).toBe(0);
    const pipeline = JSON.parse(run.stdout) as Pipeline;
    validatePipeline(pipeline, "fork");
    expect(pipeline.steps.length).toBeGreaterThan(0);
    expect(run.stdout).not.toContain("env://");
    expect(run.stdout).not.toContain('"secrets"');
    expect(run.stdout).not.toContain("GITHUB_TOKEN");
  });

  test("a remote host cache gives the Dagger steps no token: the engine's own cache serves them", () => {
    const dir = clone("remote-cache", (d) => {
      writeFiles(d, { "packages/lib/src/index.ts": "export const remote = 1;\n" });
      const cfg = JSON.parse(readFileSync(join(d, "monorepo-ci.json"), "utf8"));
      cfg.cache = { remote: { url: "https://cache.example.com", team: "acme" } };
      writeFileSync(join(d, "monorepo-ci.json"), JSON.stringify(cfg));
    });
    // Even with the token in the agent's environment, no step is given it, by value or by name.
    const run = generate(dir, { ...PR, TURBO_TOKEN: "turbo-secret-value", TURBO_API: "https://x.example" });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Pipeline).steps.length).toBeGreaterThan(5);
    expect(run.stdout).not.toContain("TURBO");
    expect(run.stdout).not.toContain("turbo-secret-value");
  });

  test("a configured Dagger Cloud token reaches every Dagger step as a secret, and never a fork's", () => {
    const withToken = (d: string) => {
      writeFiles(d, { "packages/lib/src/index.ts": "export const cloud = 1;\n" });
      const cfg = JSON.parse(readFileSync(join(d, "monorepo-ci.json"), "utf8"));
      cfg.buildkite = { daggerCloudTokenSecret: "ACME_DAGGER_CLOUD" };
      writeFileSync(join(d, "monorepo-ci.json"), JSON.stringify(cfg));
    };
    const own = pipelineFor(clone("cloud-token", withToken), PR);
    expect(own.steps.length).toBeGreaterThan(5);
    for (const s of own.steps) expect(s.secrets).toEqual({ DAGGER_CLOUD_TOKEN: "ACME_DAGGER_CLOUD" });

    const tag = clone("cloud-token-tag", withToken);
    const release = pipelineFor(tag, { ...MAIN, BUILDKITE_TAG: "v1.2.3" });
    expect(step(release, "publish")?.secrets).toEqual({
      REGISTRY_USERNAME: "REGISTRY_USERNAME",
      REGISTRY_PASSWORD: "REGISTRY_PASSWORD",
      DAGGER_CLOUD_TOKEN: "ACME_DAGGER_CLOUD",
    });

    const fork = generate(clone("cloud-token-fork", withToken), {
      ...PR,
      BUILDKITE_PULL_REQUEST_REPO: "https://github.com/mallory/mono.git",
    });
    expect(fork.code).toBe(0);
    expect(fork.stdout).not.toContain("ACME_DAGGER_CLOUD");
    expect(fork.stdout).not.toContain('"secrets"');
  });

  test.each([["$(touch /tmp/monorepo-ci-pwned)"], ["a;b"], ["`id`"], ["x' && rm -rf / #"]])(
    "a hostile branch name %p lands in no command and the output stays valid",
    (branch) => {
      const dir = clone(`hostile-${Buffer.from(branch).toString("hex").slice(0, 12)}`, (d) =>
        writeFiles(d, { "packages/lib/src/index.ts": "export const h = 1;\n" }),
      );
      const env = {
        ...PR,
        BUILDKITE_BRANCH: branch,
        BUILDKITE_MESSAGE: branch,
        BUILDKITE_BUILD_AUTHOR_EMAIL: branch,
      };
      for (const format of ["json", "yaml"]) {
        const run = generate(dir, env, ["--format", format]);
        expect(run.code).toBe(0);
        expect(run.stdout).not.toContain(branch);
      }
      const p = pipelineFor(dir, env);
      for (const s of p.steps) expect(s.command).not.toContain(branch);
      expect(existsSync("/tmp/monorepo-ci-pwned")).toBe(false);
    },
  );

  test("no $ in the output is left for upload-time interpolation", () => {
    const dir = clone("dollar", (d) =>
      writeFiles(d, { "packages/lib/src/index.ts": "export const d = 1;\n" }),
    );
    const run = generate(dir, PR);
    expect(run.code).toBe(0);
    expect(run.stdout.replaceAll("$$", "")).not.toContain("$");
  });

  test("bad input exits 2, names the key, and prints nothing on stdout", () => {
    const dir = clone("bad", (d) => writeFiles(d, { "packages/lib/src/index.ts": "export const b = 1;\n" }));
    const badEnv = generate(dir, { ...PR, BUILDKITE_PULL_REQUEST: "forty-two" });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain("BUILDKITE_PULL_REQUEST");
    expect(badEnv.stdout).toBe("");
    const badFormat = generate(dir, PR, ["--format", "toml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("--format toml");
    expect(badFormat.stdout).toBe("");
    writeFileSync(
      join(dir, "monorepo-ci.json"),
      '{"mobile": {"workspace": "m"}, "birmel": {"workspace": "b"}, "buildkite": {"queue": "a b"}}',
    );
    const badConfig = generate(dir, PR);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain("monorepo-ci.json");
    expect(badConfig.stderr).toContain("buildkite.queue");
    expect(badConfig.stdout).toBe("");
  });

  test("--format yaml prints the same pipeline as YAML", () => {
    const dir = clone("yaml", (d) => writeFiles(d, { "packages/lib/src/index.ts": "export const y = 1;\n" }));
    const json = JSON.parse(generate(dir, PR).stdout);
    const yaml = generate(dir, PR, ["--format", "yaml"]);
    expect(yaml.code).toBe(0);
    expect(Bun.YAML.parse(yaml.stdout)).toEqual(json);
  });

  test("a repository that installs the module as a toolchain gets its name on every step; a bad one is bad input", () => {
    const ref = (
      JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { repository: { url: string } }
    ).repository.url
      .replace(/^git\+https:\/\//, "")
      .replace(/\.git$/, "");
    const dagger = (name: string) =>
      JSON.stringify({
        name: "app",
        engineVersion: "v0.21.9",
        toolchains: [{ name, source: `${ref}@v0.1.0` }],
      });
    const dir = clone("toolchain", (d) => writeFiles(d, { "dagger.json": dagger("monorepo") }));
    const pipeline = pipelineFor(dir, { ...PR, FULL_BUILD: "true" });
    expect(pipeline.steps.map((s) => s.env.MONOREPO_CI_TOOLCHAIN)).toEqual(
      pipeline.steps.map(() => "monorepo"),
    );
    // The module itself (this repository's dagger.json, or a copied .dagger/) calls its functions plainly.
    const own = pipelineFor(clone("own-module"), { ...PR, FULL_BUILD: "true" });
    expect(own.steps.some((s) => "MONOREPO_CI_TOOLCHAIN" in s.env)).toBe(false);
    writeFileSync(join(dir, "dagger.json"), dagger("--mod=evil"));
    const bad = generate(dir, PR);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('dagger.json: toolchains[0].name "--mod=evil"');
    expect(bad.stdout).toBe("");
  });
});
