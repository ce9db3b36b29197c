import { z } from "zod";

/** Keys are Buildkite step keys and `just` recipe names, so they stay kebab-case. */
export const CatalogKey = z.string().regex(/^[a-z][a-z0-9-]*$/, "catalog keys are kebab-case");

/** The names of the container images pinned in versions.json. */
export const ImageName = z.enum(["bun", "bunSlim", "shellcheck", "trivy", "curl", "alpine"]);
export type ImageName = z.infer<typeof ImageName>;

/**
 * A Dagger function argument as the engine registers it. `optional` covers defaults and
 * `defaultPath`; `dagger check` needs every argument of a check to be optional.
 */
export const FunctionArgument = z
  .object({
    name: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
    type: z.enum(["Directory", "File", "String", "Secret", "Boolean"]),
    optional: z.boolean(),
  })
  .strict();
export type FunctionArgument = z.infer<typeof FunctionArgument>;

const EntryBase = z.object({
  key: CatalogKey,
  /** Buildkite step label; the emoji makes a failed step findable at a glance. */
  label: z.string().min(1),
  description: z.string().min(1),
  /** The Monorepo method name; the CLI name is its kebab-case form. */
  daggerFunction: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
  arguments: z.array(FunctionArgument),
  /** The same work on the host, without an engine; release steps have none. */
  hostCommand: z.string().min(1).optional(),
  /**
   * Globs (picomatch, relative to the source root) of the files whose change can alter the
   * result; a leading `!` excludes.
   */
  paths: z.array(z.string().min(1)).min(1),
  /** Keys of versions.json `images` this entry runs on, for the versions-only fast path. */
  images: z.array(ImageName),
  /** Environment variable names passed as Dagger secrets; only this step ever receives them. */
  secrets: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  timeoutMinutes: z.number().int().positive().max(240),
  softFail: z.boolean(),
  /**
   * Which builds get this step; `manual` is a function with no step of its own, run with
   * `dagger call` (a building block another step uses, such as the CI image `publish` pushes).
   */
  when: z.enum(["always", "pull-request", "default-branch", "tag", "manual"]),
  /** Keys this step waits for in the pipeline; checks have none, so all of them always run. */
  dependsOn: z.array(CatalogKey).default([]),
  /** Its function needs values of the build (commit, tag, repository): ci-main.sh adds them at run time. */
  runtimeArgs: z.boolean().default(false),
  /**
   * The step's command when it is not plain `run-dagger.sh <function> --source=.`: a wrapper in
   * .buildkite/scripts that prepares inputs or acts on the result.
   */
  script: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.sh$/)
    .optional(),
});

/** A Tier 0 check: blocking, a `@check()` in Dagger, runnable with `bun run check <key>`. */
export const CheckEntry = EntryBase.extend({
  kind: z.literal("check"),
  dependsOn: z.tuple([]).default([]),
}).refine((e) => e.arguments.every((a) => a.optional), {
  message: "a check's arguments must all be optional, or `dagger check` cannot call it",
  path: ["arguments"],
});
/** The orchestrating step that runs every check and then the workspace build. */
export const AggregateEntry = EntryBase.extend({
  kind: z.literal("aggregate"),
  dependsOn: z.array(CatalogKey).min(1),
  hostCommand: z.string().min(1),
});
/** A pipeline step around a Dagger function that is not a check: review, docs, release. */
export const StepEntry = EntryBase.extend({ kind: z.literal("step") });

export const CatalogEntry = z.discriminatedUnion("kind", [CheckEntry, AggregateEntry, StepEntry]);
export type CatalogEntry = z.infer<typeof CatalogEntry>;
export type CheckEntry = z.infer<typeof CheckEntry>;
export type AggregateEntry = z.infer<typeof AggregateEntry>;
export type StepEntry = z.infer<typeof StepEntry>;

/** `registryPassword` → `REGISTRY_PASSWORD`: the env var a Secret argument is read from. */
export const secretEnvName = (arg: string) => arg.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const Catalog = z.array(CatalogEntry).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    for (const [j, a] of e.arguments.entries()) {
      if (a.type === "Secret" && !e.secrets.includes(secretEnvName(a.name))) {
        ctx.addIssue({
          code: "custom",
          path: [i, "arguments", j],
          message: `${e.key}: Secret argument ${a.name} is read from ${secretEnvName(a.name)}, which its secrets do not list`,
        });
      }
    }
    for (const [what, value] of [
      ["key", e.key],
      ["daggerFunction", e.daggerFunction],
    ] as const) {
      const id = `${what}:${value}`;
      if (seen.has(id)) {
        ctx.addIssue({ code: "custom", path: [i, what], message: `duplicate ${what} ${value}` });
      }
      seen.add(id);
    }
    if (e.kind === "aggregate") {
      for (const [j, dep] of e.dependsOn.entries()) {
        if (!entries.some((other) => other.key === dep && other.kind === "check")) {
          ctx.addIssue({
            code: "custom",
            path: [i, "dependsOn", j],
            message: `${e.key} depends on ${dep}, which is not a check in the catalog`,
          });
        }
      }
    }
  }
});
export type Catalog = z.infer<typeof Catalog>;
