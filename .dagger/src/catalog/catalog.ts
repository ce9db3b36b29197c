import { Catalog, type CatalogEntry, type CheckEntry } from "./schema.ts";
import { isConfigured, type MonorepoConfig } from "../config/schema.ts";

/** Everything except prose: a docs-only change cannot alter these checks' results. */
const CODE = ["**", "!**/*.md", "!**/*.mdx", "!docs/**", "!LICENSE*", "!CHANGELOG*"];

const hostCommand = (key: string) => `bun run check ${key}`;

/** Where a check run inside a Buildkite job writes its JUnit; the steps upload it as artifacts. */
export const JUNIT_DIR = "junit";

/** `--source` defaults to the repository root (`defaultPath: "/"`). */
const SOURCE = { name: "source", type: "Directory", optional: true } as const;
/** Labels the birmel image; CI passes the commit, locally it stays "unknown". */
const GIT_SHA = { name: "gitSha", type: "String", optional: true } as const;
const required = (name: string, type: "String" | "Secret") => ({ name, type, optional: false });

/** A function with no step of its own (`dagger call` only): on the source, no secrets. */
const manual = (
  entry: Pick<CatalogEntry, "key" | "label" | "description" | "daggerFunction"> &
    Partial<Pick<CatalogEntry, "hostCommand" | "paths" | "timeoutMinutes">>,
) => ({
  kind: "step" as const,
  arguments: [SOURCE],
  paths: ["**"],
  images: ["bun" as const],
  secrets: [],
  timeoutMinutes: 30,
  softFail: false,
  when: "manual" as const,
  dependsOn: [],
  ...entry,
});

/**
 * The one list of checks. The Dagger module, the justfile, the host CLI and the pipeline
 * generator all read it; the introspection test ties the Monorepo class to it.
 */
export const catalog: Catalog = Catalog.parse([
  {
    kind: "check",
    key: "compliance",
    label: ":scroll: Compliance",
    description:
      "Workspace conformance: real scripts, membership, metadata, LICENSE, bun.lock, no key files.",
    daggerFunction: "complianceCheck",
    arguments: [SOURCE],
    hostCommand: hostCommand("compliance"),
    paths: [
      "**/package.json",
      "bun.lock",
      "LICENSE*",
      "monorepo-ci.json",
      "**/.env*",
      "**/*.pem",
      "**/*.key",
      "**/id_rsa*",
    ],
    images: [],
    secrets: [],
    timeoutMinutes: 10,
    softFail: false,
    when: "always",
  },
  {
    kind: "check",
    key: "quality",
    label: ":shield: Quality & security",
    description: "Suppression ratchet, ESLint, Prettier, ShellCheck, actionlint, secretlint and Trivy.",
    daggerFunction: "qualityChecks",
    arguments: [SOURCE],
    hostCommand: hostCommand("quality"),
    // Prettier and the secret scanner read prose too, so docs changes do run this check.
    paths: ["**"],
    images: ["bun", "shellcheck", "trivy"],
    secrets: [],
    timeoutMinutes: 20,
    softFail: false,
    when: "always",
  },
  {
    kind: "check",
    key: "mobile",
    label: ":iphone: Mobile",
    description: "The mobile workspace: typecheck, lint, format check and tests in parallel.",
    daggerFunction: "mobileCi",
    arguments: [SOURCE],
    hostCommand: hostCommand("mobile"),
    paths: CODE,
    images: ["bun"],
    secrets: [],
    timeoutMinutes: 20,
    softFail: false,
    when: "always",
  },
  {
    kind: "check",
    key: "birmel",
    label: ":robot_face: Birmel",
    description:
      "The birmel service: generate, typecheck/lint/test, build, then a health-endpoint smoke test.",
    daggerFunction: "birmelValidation",
    arguments: [SOURCE, GIT_SHA],
    hostCommand: hostCommand("birmel"),
    paths: CODE,
    images: ["bun", "bunSlim", "curl"],
    secrets: [],
    timeoutMinutes: 20,
    softFail: false,
    when: "always",
  },
  {
    kind: "check",
    key: "packages",
    label: ":package: Packages",
    description: "Every other workspace package: typecheck, lint, test and build, all reported.",
    daggerFunction: "packageValidation",
    arguments: [SOURCE],
    hostCommand: hostCommand("packages"),
    paths: CODE,
    images: ["bun"],
    secrets: [],
    timeoutMinutes: 30,
    softFail: false,
    when: "always",
  },
  {
    kind: "aggregate",
    key: "ci",
    label: ":white_check_mark: CI",
    description: "Runs the five checks concurrently, then the workspace build; returns a summary table.",
    daggerFunction: "ci",
    arguments: [SOURCE, GIT_SHA],
    hostCommand: hostCommand("ci"),
    paths: CODE,
    images: ["bun"],
    secrets: [],
    timeoutMinutes: 45,
    softFail: false,
    when: "always",
    dependsOn: ["compliance", "quality", "mobile", "birmel", "packages"],
    runtimeArgs: true,
  },
  {
    kind: "step",
    key: "code-review",
    label: ":mag: Code review",
    description:
      "Reviews a PR diff: lint findings in changed files, suppressions added, and the checks it triggers.",
    daggerFunction: "codeReview",
    arguments: [SOURCE, { name: "diff", type: "File", optional: false }],
    hostCommand: "bun run review --diff",
    paths: ["**"],
    images: ["bun"],
    secrets: [],
    timeoutMinutes: 15,
    // Advice, not a gate: its failure shows on the PR without blocking the merge.
    softFail: true,
    when: "pull-request",
    script: "code-review.sh",
  },
  {
    kind: "step",
    key: "update-readmes",
    label: ":memo: Update READMEs",
    description: "Regenerates the catalog-driven sections of README.md and the justfile.",
    daggerFunction: "updateReadmes",
    arguments: [SOURCE],
    hostCommand: "bun run readmes",
    paths: ["**"],
    images: [],
    // Pushes the regenerated files; no other step sees this token.
    secrets: ["GITHUB_TOKEN"],
    timeoutMinutes: 10,
    softFail: false,
    when: "default-branch",
    dependsOn: ["ci"],
    script: "update-readmes.sh",
  },
  {
    kind: "step",
    key: "publish",
    label: ":rocket: Publish images",
    description:
      "Builds the service image and the CI image and pushes both, tagged with the commit and the version.",
    daggerFunction: "publish",
    arguments: [
      SOURCE,
      required("gitSha", "String"),
      required("version", "String"),
      required("registry", "String"),
      required("registryUsername", "Secret"),
      required("registryPassword", "Secret"),
    ],
    paths: ["**"],
    images: ["bun", "bunSlim"],
    secrets: ["REGISTRY_USERNAME", "REGISTRY_PASSWORD"],
    timeoutMinutes: 30,
    softFail: false,
    when: "tag",
    dependsOn: ["ci"],
    runtimeArgs: true,
  },
  manual({
    key: "ci-image",
    label: ":whale: CI image",
    description:
      "The prebuilt CI image: the pinned bun base with curl, jq, kubectl and dagger at the pinned versions, and the module's dependencies installed.",
    daggerFunction: "ciImage",
    paths: ["dagger.json", ".dagger/versions.json", ".dagger/package.json", ".dagger/bun.lock"],
    timeoutMinutes: 20,
  }),
  manual({
    key: "coverage",
    label: ":bar_chart: Coverage",
    description: "Every package's test coverage as one lcov file, with paths from the source root.",
    daggerFunction: "coverage",
  }),
  manual({
    key: "binaries",
    label: ":package: Binaries",
    description: "The executables monorepo-ci.json declares, for every target, with a SHA256SUMS file.",
    daggerFunction: "binaries",
    hostCommand: "bun run binaries",
  }),
  {
    kind: "step",
    key: "github-release",
    label: ":github: GitHub release",
    description:
      "Creates or updates the tag's GitHub Release, with its CHANGELOG section as the body and the declared binaries attached.",
    daggerFunction: "githubRelease",
    arguments: [
      SOURCE,
      required("tag", "String"),
      required("repository", "String"),
      required("githubToken", "Secret"),
    ],
    paths: ["CHANGELOG.md"],
    images: ["alpine"],
    secrets: ["GITHUB_TOKEN"],
    timeoutMinutes: 10,
    softFail: false,
    when: "tag",
    dependsOn: ["publish"],
    runtimeArgs: true,
  },
]);

export const checks: CheckEntry[] = catalog.filter((e): e is CheckEntry => e.kind === "check");

export function findEntry(key: string): CatalogEntry | undefined {
  return catalog.find((e) => e.key === key);
}

/** `complianceCheck` → `compliance-check`, the name the Dagger CLI shows. */
export function cliName(daggerFunction: string): string {
  return daggerFunction.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The catalog as this repository has it: a check monorepo-ci.json leaves out (no mobile app, no
 * service) exists nowhere, not as a workflow job, a `ci` need, a recipe or a table row.
 */
export function configuredEntries(
  entries: Catalog,
  config: Pick<MonorepoConfig, "mobile" | "birmel">,
): Catalog {
  const kept = entries.filter((e) => isConfigured(config, e.key));
  const keys = new Set(kept.map((e) => e.key));
  return kept.map((e) =>
    e.kind === "aggregate" ? { ...e, dependsOn: e.dependsOn.filter((d) => keys.has(d)) } : e,
  );
}
