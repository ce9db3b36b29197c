import { describe, expect, test } from "bun:test";
import { catalog } from "../../.dagger/src/catalog/catalog.ts";
import { Catalog } from "../../.dagger/src/catalog/schema.ts";
import { BuildkiteSettings, ReleaseSettings } from "../../.dagger/src/config/schema.ts";
import { buildContext, parseEnv } from "../../.buildkite/lib/env.ts";
import { repoIdentity } from "../../.dagger/src/source/repo-url.ts";
import { assemble, commandFor, escapeInterpolation } from "../../.buildkite/lib/steps.ts";
import { classify } from "../../.dagger/src/changes/rules.ts";

const settings = {
  buildkite: BuildkiteSettings.parse({}),
  release: ReleaseSettings.parse({}),
  mobile: { workspace: "packages/mobile" },
  birmel: { workspace: "packages/birmel", healthPath: "/health", port: 8080, startTimeoutSeconds: 30 },
};

test("escapeInterpolation doubles every $, in values and keys alike", () => {
  expect(escapeInterpolation<unknown>({ a$: ["$HOME", "${X:-y}", "no"], n: 1 })).toEqual({
    a$$: ["$$HOME", "$${X:-y}", "no"],
    n: 1,
  });
});

test("repoIdentity treats SSH and HTTPS URLs of one repository as the same", () => {
  expect(repoIdentity("git@github.com:Acme/Mono.git")).toBe(repoIdentity("https://github.com/acme/mono"));
  expect(repoIdentity("https://github.com/mallory/mono.git")).not.toBe(
    repoIdentity("git@github.com:acme/mono.git"),
  );
});

describe("secrets", () => {
  // A catalog with a step that takes a Secret and runs on every build, to prove the fork rule.
  const withSecret = Catalog.parse([
    ...catalog,
    {
      ...catalog[0],
      kind: "step",
      key: "deploy-preview",
      daggerFunction: "deployPreview",
      arguments: [{ name: "registryPassword", type: "Secret", optional: false }],
      secrets: ["REGISTRY_PASSWORD"],
      when: "always",
    },
  ]);
  const decisions = withSecret
    .filter((e) => e.kind !== "step")
    .map((e) => ({ key: e.key, included: true, reason: "test" }));

  test("a Secret argument travels as an env:// reference, and only its step lists the secret", () => {
    const ctx = buildContext(parseEnv({ BUILDKITE_BRANCH: "main" }), "main");
    const { pipeline } = assemble(withSecret, decisions, ctx, settings);
    const deploy = pipeline.steps.find((s) => s.key === "deploy-preview");
    expect(deploy?.command).toBe(
      ".buildkite/scripts/run-dagger.sh deploy-preview --source=. --registry-password=env://REGISTRY_PASSWORD",
    );
    expect(deploy?.secrets).toEqual(["REGISTRY_PASSWORD"]);
    expect(pipeline.steps.filter((s) => s.secrets).map((s) => s.key)).toEqual([
      "update-readmes",
      "deploy-preview",
    ]);
  });

  test("a fork's pull request drops every step that receives secrets, and says why", () => {
    const env = parseEnv({
      BUILDKITE_BRANCH: "feature",
      BUILDKITE_PULL_REQUEST: "9",
      BUILDKITE_REPO: "git@github.com:acme/mono.git",
      BUILDKITE_PULL_REQUEST_REPO: "https://github.com/mallory/mono.git",
    });
    const { pipeline, rows } = assemble(withSecret, decisions, buildContext(env, "feature"), settings);
    expect(pipeline.steps.map((s) => s.key)).not.toContain("deploy-preview");
    expect(JSON.stringify(pipeline)).not.toContain("REGISTRY_PASSWORD");
    expect(rows.find((r) => r.key === "deploy-preview")?.reason).toBe(
      "pull request from a fork: this step receives secrets",
    );
  });

  test.each([
    ["the head repository is unknown", { BUILDKITE_REPO: "git@github.com:acme/mono.git" }],
    ["the base repository is unknown", { BUILDKITE_PULL_REQUEST_REPO: "git@github.com:acme/mono.git" }],
    ["neither is known", {}],
    [
      "the head repository is empty",
      { BUILDKITE_REPO: "git@github.com:acme/mono.git", BUILDKITE_PULL_REQUEST_REPO: "" },
    ],
  ])("fails closed when %s: the PR is treated as a fork", (_name, repos) => {
    const env = parseEnv({ BUILDKITE_BRANCH: "feature", BUILDKITE_PULL_REQUEST: "9", ...repos });
    const { pipeline } = assemble(withSecret, decisions, buildContext(env, "feature"), settings);
    expect(pipeline.steps.map((s) => s.key)).not.toContain("deploy-preview");
    expect(JSON.stringify(pipeline)).not.toContain("REGISTRY_PASSWORD");
  });

  test("the same repository in two URL forms is not a fork", () => {
    const env = parseEnv({
      BUILDKITE_BRANCH: "feature",
      BUILDKITE_PULL_REQUEST: "9",
      BUILDKITE_REPO: "git@github.com:acme/mono.git",
      BUILDKITE_PULL_REQUEST_REPO: "https://github.com/acme/mono.git",
    });
    const { pipeline } = assemble(withSecret, decisions, buildContext(env, "feature"), settings);
    expect(pipeline.steps.map((s) => s.key)).toContain("deploy-preview");
  });
});

test("every catalog entry's command is a script in .buildkite/scripts", () => {
  for (const e of catalog)
    expect(commandFor(e)).toMatch(/^\.buildkite\/scripts\/(run-dagger\.sh [a-z-]+ --source=\.|[a-z-]+\.sh)/);
});

describe("classify", () => {
  test("a file that no entry's paths claim means a full build", () => {
    const narrow = Catalog.parse(catalog.map((e) => ({ ...e, paths: ["packages/**"] })));
    expect(classify(["packages/a/x.ts", "tools/gen.py"], narrow)).toEqual({
      kind: "full",
      why: "no rule claims tools/gen.py",
    });
    expect(classify(["packages/a/x.ts"], narrow)).toEqual({ kind: "code", files: ["packages/a/x.ts"] });
  });

  test("an empty diff is doubt, not a no-op", () => {
    expect(classify([], catalog).kind).toBe("full");
  });
});

test("pipeline.yml: one generator step, pipefail, the pinned bun image, shallow checkout, no secrets", async () => {
  const { readFileSync } = await import("node:fs");
  const { validatePipeline } = await import("../../.buildkite/lib/pipeline/validate.ts");
  const { versions } = await import("../../.dagger/src/catalog/versions.ts");
  const text = readFileSync(new URL("../../.buildkite/pipeline.yml", import.meta.url), "utf8");
  const doc = Bun.YAML.parse(text) as {
    steps: {
      command: string;
      plugins: {
        kubernetes: { podSpec: { containers: { image: string }[] }; checkout: { cloneFlags: string } };
      }[];
    }[];
  };
  validatePipeline(doc, "pipeline.yml");
  expect(doc.steps).toHaveLength(1);
  const [step] = doc.steps;
  expect(step?.command).toContain("set -euo pipefail");
  expect(step?.command).toContain(
    "bun .dagger/cli/monorepo-ci.ts pipeline | buildkite-agent pipeline upload",
  );
  const k8s = step?.plugins[0]?.kubernetes;
  expect(k8s?.podSpec.containers[0]?.image).toBe(versions.images.bun);
  expect(k8s?.checkout.cloneFlags).toContain("--depth=");
  expect(JSON.stringify(doc)).not.toMatch(/"secrets"|env:\/\/|TOKEN/);
});
