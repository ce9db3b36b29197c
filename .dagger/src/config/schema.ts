import { z } from "zod";
import { GitBranchName, GitRemoteName } from "./git-names.ts";

/** How long a host task may run when monorepo-ci.json does not say (`taskTimeoutMinutes`). */
export const DEFAULT_TASK_TIMEOUT_MINUTES = 15;

/** A path inside the monorepo, relative to its root, never escaping it. */
const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must stay inside the source")
  // Paths reach tools as arguments: one starting with "-" would read as an option.
  .refine((p) => !p.startsWith("-"), "must not start with -")
  .transform((p) => p.replace(/\/+$/, ""));

/** A workspace package by name or directory, or a glob over either (`examples/*`, `@acme/demo-*`). */
const PackagePattern = z.string().min(1);
const Reason = (what: string) => z.string().trim().min(10, `say why ${what} (10+ characters)`);

/** A script a package may lack, or have as a stub: skipped, with the reason, never run or failed. */
export const Exemption = z
  .object({
    package: PackagePattern,
    script: z.enum(["build", "test", "lint", "typecheck"]),
    reason: Reason("the script may be missing or a stub"),
  })
  .strict();
export type Exemption = z.infer<typeof Exemption>;

/** A workspace package no check looks at: reported as excluded, with the reason. */
export const Exclusion = z
  .object({ package: PackagePattern, reason: Reason("the package is not checked") })
  .strict();
export type Exclusion = z.infer<typeof Exclusion>;

/** A file the no-key-files rule allows (an example `.env`); the secret scan still reads it. */
const AllowedFile = z
  .object({ path: z.string().min(1), reason: Reason("the file may be committed") })
  .strict();

/** How the generated pipeline reaches the shared Dagger engine; every key has a default. */
export const BuildkiteSettings = z
  .object({
    /** Every Dagger step joins this group with concurrency 1: one engine, one job at a time. */
    concurrencyGroup: z
      .string()
      .regex(/^[\w./-]+$/)
      .default("dagger"),
    queue: z
      .string()
      .regex(/^[\w.-]+$/)
      .default("kubernetes"),
    /** Namespace and label selector setup-dagger.sh uses to find a Ready engine pod. */
    engineNamespace: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default("dagger"),
    engineLabel: z
      .string()
      .regex(/^[\w./=,-]+$/)
      .default("name=dagger-dagger-helm-engine"),
    /** update-readmes commits as this address, and never runs for a build it authored. */
    botEmail: z.email().default("monorepo-ci-bot@users.noreply.github.com"),
    /**
     * The prebuilt CI image (the `ciImage` function's) every Dagger step runs in, so a step's
     * setup is only its pod start. Pinned by digest: a tag could change under a build.
     */
    image: z
      .string()
      .regex(
        /^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+(?::[\w.-]+)?@sha256:[0-9a-f]{64}$/,
        "an image pinned by digest, like ghcr.io/acme/monorepo-ci@sha256:<64 hex>",
      )
      .optional(),
    /**
     * How many Dagger steps may use the shared engine at once: the steps' concurrency. 1 is the
     * design's choice, after 10 concurrent sessions drove the engine's load to 587.
     */
    engineConcurrency: z.number().int().min(1).max(8).default(1),
    /**
     * The Buildkite secret holding a Dagger Cloud token: every Dagger step gets it as
     * DAGGER_CLOUD_TOKEN, except in a fork's pull request.
     */
    daggerCloudTokenSecret: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a Buildkite secret name")
      .optional(),
  })
  .strict();
export type BuildkiteSettings = z.infer<typeof BuildkiteSettings>;

/** How releases are cut and published; every key has a default but the registry. */
export const ReleaseSettings = z
  .object({
    defaultBranch: GitBranchName.default("main"),
    remote: GitRemoteName.default("origin"),
    /** JSON files whose top-level "version" the release bumps; the root package.json leads. */
    versionedFiles: z.array(RelPath).min(1).default(["package.json"]),
    /** Where `publish` pushes images, e.g. `ghcr.io/acme`; required for release tag builds. */
    registry: z
      .string()
      .regex(/^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+$/, "a registry path like ghcr.io/acme")
      .optional(),
  })
  .strict();
export type ReleaseSettings = z.infer<typeof ReleaseSettings>;

/** An environment variable's name, as a cache key may list it. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

/**
 * What one package script reads and writes, for the host cache (as Turborepo's `inputs` and
 * `outputs`). Outputs are directories relative to the package, never above it; inputs are globs
 * from the repository root, for the files a task reads outside its package and its tool configs.
 */
export const TaskCacheSettings = z
  .object({
    outputs: z.array(RelPath).optional(),
    inputs: z.array(RelPath).optional(),
  })
  .strict();
export type TaskCacheSettings = z.infer<typeof TaskCacheSettings>;

/**
 * A Turborepo Remote Cache server behind the host cache (docs/host-cache.md). The token and the
 * signing key come from the environment only (TURBO_TOKEN, TURBO_REMOTE_CACHE_SIGNATURE_KEY);
 * TURBO_API and TURBO_TEAM (a slug) or TURBO_TEAMID stand in for `url` and `team` when these are
 * not set.
 */
export const RemoteCacheSettings = z
  .object({
    url: z
      .string()
      .regex(
        /^https?:\/\/[^\s/?#@]+(?:\/[^\s?#]*)?$/,
        "an http(s) URL with no query and no credentials (the token is TURBO_TOKEN), such as https://cache.example.com",
      )
      .optional(),
    team: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        "a team slug, or an ID starting with team_: letters, digits, dot, dash, underscore",
      )
      .optional(),
    /** write: read and upload; read: read only; off: no remote. Untrusted builds are read-only. */
    mode: z.enum(["read", "write", "off"]).default("write"),
    /** How long one read may take before the remote is given up for the run. */
    timeoutSeconds: z.number().positive().max(120).default(5),
    /**
     * How long one upload may take, and the run's end may wait for its uploads: longer, since an
     * upload carries a task's outputs (Turborepo bounds its uploads apart from its reads too).
     */
    uploadTimeoutSeconds: z.number().positive().max(600).default(60),
  })
  .strict();
export type RemoteCacheSettings = z.infer<typeof RemoteCacheSettings>;

/** The host task cache (see src/cache/); every key has a default. */
export const CacheSettings = z
  .object({
    /** By script name (`build`, `test`, …): its outputs and extra inputs, for every package. */
    tasks: z.record(z.string().min(1), TaskCacheSettings).default({}),
    /** By package name, then script: over `tasks`, for that package only. */
    packages: z.record(z.string().min(1), z.record(z.string().min(1), TaskCacheSettings)).default({}),
    /** Variables whose values are in every task's key, on top of the built-in list. */
    env: z.array(EnvName).default([]),
    /** Variables in the key of one package's tasks only, by package name. */
    packageEnv: z.record(z.string().min(1), z.array(EnvName)).default({}),
    /** The store's size cap; the least recently used entries go first. */
    maxMegabytes: z.number().positive().max(10_000).default(200),
    remote: RemoteCacheSettings.prefault({}),
  })
  .strict();
export type CacheSettings = z.infer<typeof CacheSettings>;

/** Bun's cross-compile targets, as `bun-<os>-<arch>` names them. */
export const BinaryTarget = z.enum([
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
  "linux-x64-musl",
  "linux-arm64-musl",
]);
export type BinaryTarget = z.infer<typeof BinaryTarget>;
export const DEFAULT_BINARY_TARGETS: BinaryTarget[] = [
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
];

/** A workspace package that ships an executable, built with `bun build --compile`. */
export const BinarySettings = z
  .object({
    /** The package's `name` in its package.json. */
    package: z.string().min(1),
    /** Its entry point, relative to the package directory. */
    entry: RelPath,
    targets: z.array(BinaryTarget).min(1).optional(),
  })
  .strict();
export type BinarySettings = z.infer<typeof BinarySettings>;

const Percent = z.number().min(0).max(100);

/** The least test coverage a package may have, in percent; 0 gates nothing. */
export const CoverageSettings = z
  .object({
    minimum: z
      .object({ lines: Percent.default(0), functions: Percent.default(0) })
      .strict()
      .prefault({}),
    /** By package name: its own minimum, over the global one. */
    packages: z
      .record(
        z.string().min(1),
        z.object({ lines: Percent.optional(), functions: Percent.optional() }).strict(),
      )
      .default({}),
  })
  .strict();
export type CoverageSettings = z.infer<typeof CoverageSettings>;

/** `monorepo-ci.json` at the root of each monorepo: data, not code. */
export const MonorepoConfig = z
  .object({
    $schema: z.string().optional(),
    /** Each of the two is optional: a monorepo without a mobile app or a service leaves it out. */
    mobile: z.object({ workspace: RelPath }).strict().optional(),
    birmel: z
      .object({
        workspace: RelPath,
        healthPath: z.string().startsWith("/").default("/health"),
        port: z.number().int().min(1).max(65535).default(8080),
        startTimeoutSeconds: z.number().positive().max(600).default(30),
      })
      .strict()
      .optional(),
    exemptions: z.array(Exemption).default([]),
    /**
     * The package.json script each role runs under, when the repository names it otherwise
     * (`"typecheck": "check-types"`). Names reach `bun run` as an argument: never an option.
     */
    scriptNames: z
      .partialRecord(
        z.enum(["typecheck", "lint", "test", "build"]),
        z.string().regex(/^[A-Za-z0-9_][\w:.-]*$/, 'a script name such as "check-types" (not "-" first)'),
      )
      .default({}),
    /** The repository's linters and formatters, when detection from its root should not decide. */
    quality: z
      .object({
        linters: z.array(z.enum(["eslint", "biome", "oxlint"])).optional(),
        formatters: z.array(z.enum(["prettier", "biome", "dprint", "oxfmt"])).optional(),
        /** Whether a linter's warnings fail the check ("fail"), or only its errors ("allow"). */
        warnings: z.enum(["fail", "allow"]).default("fail"),
      })
      .strict()
      .prefault({}),
    exclude: z.array(Exclusion).default([]),
    /** Files the secret scan may leave out, each with why; a left-out file is reported. */
    secrets: z
      .object({
        allowFiles: z.array(AllowedFile).default([]),
        exempt: z
          .array(
            z
              .object({
                path: z.string().min(1),
                reason: Reason("the file may go unscanned"),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    /** Checks that may plan no task at all (say, no packages besides mobile and birmel). */
    allowEmpty: z.array(z.enum(["compliance", "quality", "mobile", "birmel", "packages"])).default([]),
    /** Bounds each host task (a test that hangs); the catalog's timeoutMinutes bounds the check. */
    taskTimeoutMinutes: z.number().positive().max(600).default(DEFAULT_TASK_TIMEOUT_MINUTES),
    qualityBaseline: RelPath.default(".ci/suppressions-baseline.json"),
    buildkite: BuildkiteSettings.prefault({}),
    cache: CacheSettings.prefault({}),
    binaries: z.array(BinarySettings).default([]),
    coverage: CoverageSettings.prefault({}),
    release: ReleaseSettings.prefault({}),
  })
  .strict();
export type MonorepoConfig = z.infer<typeof MonorepoConfig>;

export const CONFIG_FILE = "monorepo-ci.json";

/** Checks that run only when their key is configured in monorepo-ci.json. */
export const OPTIONAL_CHECKS = ["mobile", "birmel"] as const;

/** Is this check configured? Every check is, except mobile and birmel when their key is absent. */
export const isConfigured = (config: Pick<MonorepoConfig, "mobile" | "birmel">, key: string): boolean =>
  key === "mobile" ? config.mobile !== undefined : key === "birmel" ? config.birmel !== undefined : true;

/** The error for running a check the config leaves out: bad input (exit 2), not a pass. */
export const notConfigured = (key: string) =>
  `${key} is not configured: ${CONFIG_FILE} has no "${key}" key (set ${key}.workspace to run it; ci runs only the configured checks)`;
