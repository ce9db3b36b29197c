import { sep } from "node:path";
import { cliName, JUNIT_DIR } from "../../.dagger/src/catalog/catalog.ts";
import { COVERAGE_DIR } from "../../.dagger/src/test-coverage/coverage.ts";
import { secretEnvName, type CatalogEntry } from "../../.dagger/src/catalog/schema.ts";
import { versions } from "../../.dagger/src/catalog/versions.ts";
import type { Decision } from "../../.dagger/src/changes/rules.ts";
import { CONFIG_FILE, isConfigured, type MonorepoConfig } from "../../.dagger/src/config/schema.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import type { BuildContext } from "./env.ts";

export type CommandStep = {
  key: string;
  label: string;
  command: string;
  depends_on?: string[];
  concurrency: number;
  concurrency_group: string;
  timeout_in_minutes: number;
  soft_fail?: boolean;
  retry: { automatic: { exit_status: number; limit: number }[]; manual?: { permit_on_passed: boolean } };
  agents: { queue: string };
  plugins: Record<string, unknown>[];
  env: Record<string, string>;
  /** Secret names, or environment variable → secret name (when the Dagger Cloud token is added). */
  secrets?: string[] | Record<string, string>;
  artifact_paths?: string[];
};
export type Pipeline = { steps: CommandStep[] };
export type Row = { key: string; included: boolean; reason: string };

/** Commit subject update-readmes.sh uses; `[skip ci]` keeps Buildkite from building it at all. */
export const README_COMMIT_MESSAGE = "chore(readme): regenerate from the catalog [skip ci]";

/** The package's name, by which `bun add -d monorepo-ci` links it into node_modules. */
export const PACKAGE_NAME = "monorepo-ci";

/**
 * Where the step wrappers are, as the checkout sees them: `.buildkite/scripts` when this code is
 * the checkout's own (this repository, or a vendored copy), and the installed package's through
 * `node_modules/monorepo-ci` when it runs from node_modules: the link every bun layout makes for a
 * direct dependency (the real path under `node_modules/.bun/` carries a hash, never written down).
 */
export function wrapperDir(codeDir: string = import.meta.dir): string {
  return codeDir.split(sep).includes("node_modules")
    ? `node_modules/${PACKAGE_NAME}/.buildkite/scripts`
    : ".buildkite/scripts";
}

export const SCRIPTS = wrapperDir();

/**
 * The step command. Only constants and names go in: the function, `--source=.`, and Secret
 * arguments as `env://NAME` references. Nothing from the build's environment.
 */
export function commandFor(entry: CatalogEntry): string {
  const fn = cliName(entry.daggerFunction);
  const base = entry.script
    ? [`${SCRIPTS}/${entry.script}`]
    : entry.runtimeArgs
      ? [`${SCRIPTS}/ci-main.sh`, fn]
      : [`${SCRIPTS}/run-dagger.sh`, fn, "--source=."];
  const secrets = entry.arguments
    .filter((a) => a.type === "Secret")
    .map((a) => `--${cliName(a.name)}=env://${secretEnvName(a.name)}`);
  return [...base, ...secrets].join(" ");
}

/** Engine-loss exits only: -1 (agent lost) and 255 (connection dropped); real failures are final. */
const RETRY = { automatic: [-1, 255].map((exit_status) => ({ exit_status, limit: 2 })) };

/** What of monorepo-ci.json the pipeline reads. */
/**
 * The config the steps read, and `toolchain`: the name dagger.json installs the module under,
 * when the repository uses it by reference (run-dagger.sh then calls `dagger call <name> <fn>`).
 */
export type PipelineConfig = Pick<MonorepoConfig, "buildkite" | "release" | "mobile" | "birmel"> & {
  toolchain?: string;
};

function publishRegistry(config: PipelineConfig): string {
  if (!config.release.registry) {
    throw new InputError(
      `${CONFIG_FILE}: release.registry is required to publish a release tag (e.g. "ghcr.io/acme")`,
    );
  }
  return config.release.registry;
}

/**
 * The step's secrets: its catalog entry's, by name, and the Dagger Cloud token as
 * DAGGER_CLOUD_TOKEN when one is configured and the build may have it (not a fork's PR). Dagger
 * reads the token, and TRACEPARENT and OTEL_* as the agent passes them, from the environment.
 */
function secretsOf(entry: CatalogEntry, cloudToken: string | undefined): CommandStep["secrets"] {
  if (!cloudToken) return entry.secrets.length ? entry.secrets : undefined;
  return { ...Object.fromEntries(entry.secrets.map((s) => [s, s])), DAGGER_CLOUD_TOKEN: cloudToken };
}

function daggerStep(
  entry: CatalogEntry,
  dependsOn: string[],
  config: PipelineConfig,
  cloudToken: string | undefined,
): CommandStep {
  const settings = config.buildkite;
  const secrets = secretsOf(entry, cloudToken);
  return {
    key: entry.key,
    label: entry.label,
    command: commandFor(entry),
    ...(dependsOn.length && { depends_on: dependsOn }),
    concurrency: settings.engineConcurrency,
    concurrency_group: settings.concurrencyGroup,
    timeout_in_minutes: entry.timeoutMinutes,
    ...(entry.softFail && { soft_fail: true }),
    retry: RETRY,
    agents: { queue: settings.queue },
    plugins: [
      {
        kubernetes: {
          checkout: { cloneFlags: "--depth=1", fetchFlags: "--depth=1" },
          // The prebuilt CI image when configured (tools and module dependencies inside, so
          // setup-dagger.sh installs nothing); else the pinned bun image, and setup installs them.
          podSpec: { containers: [{ image: settings.image ?? versions.images.bun }] },
        },
      },
    ],
    env: {
      DAGGER_ENGINE_NAMESPACE: settings.engineNamespace,
      DAGGER_ENGINE_LABEL: settings.engineLabel,
      ...(config.toolchain && { MONOREPO_CI_TOOLCHAIN: config.toolchain }),
      ...(entry.key === "update-readmes" && { README_COMMIT_MESSAGE, README_BOT_EMAIL: settings.botEmail }),
      ...(entry.key === "publish" && { PUBLISH_REGISTRY: publishRegistry(config) }),
    },
    ...(secrets && { secrets }),
    // A check's JUnit (junit-annotate, Test Engine) and its packages' coverage reports, written
    // when it runs on the host.
    ...(entry.kind !== "step" && {
      artifact_paths: [`${JUNIT_DIR}/*.xml`, `${COVERAGE_DIR}/**`, `**/${COVERAGE_DIR}/lcov.info`],
    }),
  };
}

/** Whether a pipeline-only step belongs in this build, and why. */
function extraDecision(
  entry: CatalogEntry,
  ctx: BuildContext,
  { buildkite: settings }: PipelineConfig,
): Decision {
  const wanted: Record<CatalogEntry["when"], [boolean, string]> = {
    always: [true, "every build"],
    "pull-request": [ctx.kind === "pull-request", "pull requests only"],
    "default-branch": [ctx.kind === "default-branch", `the default branch (${ctx.defaultBranch}) only`],
    tag: [ctx.kind === "tag", "release tags only"],
    manual: [false, "no step of its own: run with dagger call"],
  };
  const [included, reason] = wanted[entry.when];
  if (!included) return { key: entry.key, included, reason };
  if (
    entry.key === "update-readmes" &&
    (ctx.authorEmail === settings.botEmail || ctx.message.startsWith(README_COMMIT_MESSAGE))
  ) {
    return { key: entry.key, included: false, reason: "this build is update-readmes' own commit" };
  }
  return { key: entry.key, included: true, reason };
}

/**
 * The pipeline for this build. Release tags get the release steps instead of the PR and
 * default-branch extras; a fork's pull request gets no step that receives secrets.
 */
export function assemble(
  entries: CatalogEntry[],
  decisions: Decision[],
  ctx: BuildContext,
  config: PipelineConfig,
): { pipeline: Pipeline; rows: Row[] } {
  const rows: Row[] = entries.map(
    (e) => decisions.find((d) => d.key === e.key) ?? extraDecision(e, ctx, config),
  );
  for (const [i, e] of entries.entries()) {
    // A check monorepo-ci.json leaves out (no mobile app, no service) has no step at all.
    if (!isConfigured(config, e.key)) {
      rows[i] = { key: e.key, included: false, reason: `not configured in ${CONFIG_FILE}` };
      continue;
    }
    const row = rows[i];
    if (row?.included && e.secrets.length && ctx.pullRequest?.fromFork) {
      rows[i] = {
        key: e.key,
        included: false,
        reason: "pull request from a fork: this step receives secrets",
      };
    }
  }
  const included = new Set(rows.filter((r) => r.included).map((r) => r.key));
  const steps = entries
    .filter((e) => included.has(e.key))
    .map((e) =>
      daggerStep(
        e,
        e.dependsOn.filter((d) => included.has(d)),
        config,
        ctx.pullRequest?.fromFork ? undefined : config.buildkite.daggerCloudTokenSecret,
      ),
    );
  return { pipeline: { steps }, rows };
}

/** Escapes every `$` as `$$`, keys included: nothing in our output is meant for upload-time interpolation. */
export function escapeInterpolation<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("$", "$$$$") as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [escapeInterpolation(k), escapeInterpolation(v)]),
    ) as T;
  }
  return value;
}
