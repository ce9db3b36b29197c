import { z } from "zod";

/** A path inside the monorepo, relative to its root, never escaping it. */
const RelPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must stay inside the source")
  .transform((p) => p.replace(/\/+$/, ""));

export const Exemption = z
  .object({
    package: z.string().min(1),
    script: z.enum(["build", "test", "lint", "typecheck"]),
    reason: z.string().trim().min(10, "say why the script may be a stub (10+ characters)"),
  })
  .strict();
export type Exemption = z.infer<typeof Exemption>;

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
  })
  .strict();
export type BuildkiteSettings = z.infer<typeof BuildkiteSettings>;

/** `monorepo-ci.json` at the root of each monorepo: data, not code. */
export const MonorepoConfig = z
  .object({
    $schema: z.string().optional(),
    mobile: z.object({ workspace: RelPath }).strict(),
    birmel: z
      .object({
        workspace: RelPath,
        healthPath: z.string().startsWith("/").default("/health"),
        port: z.number().int().min(1).max(65535).default(8080),
        startTimeoutSeconds: z.number().positive().max(600).default(30),
      })
      .strict(),
    exemptions: z.array(Exemption).default([]),
    qualityBaseline: RelPath.default(".ci/suppressions-baseline.json"),
    buildkite: BuildkiteSettings.prefault({}),
  })
  .strict();
export type MonorepoConfig = z.infer<typeof MonorepoConfig>;

export const CONFIG_FILE = "monorepo-ci.json";
