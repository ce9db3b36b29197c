import { z } from "zod";
import { parseWith } from "../../.dagger/src/errors.ts";
import { repoIdentity } from "../../.dagger/src/source/repo-url.ts";

/** Exactly the variables the generator reads; each is optional so a laptop run works too. */
export const GeneratorEnv = z.object({
  BUILDKITE_BRANCH: z.string().optional(),
  BUILDKITE_PULL_REQUEST: z
    .string()
    .regex(/^(?:false|\d+)$/, 'must be "false" or a pull request number')
    .optional(),
  BUILDKITE_PULL_REQUEST_BASE_BRANCH: z.string().optional(),
  BUILDKITE_PULL_REQUEST_REPO: z.string().optional(),
  BUILDKITE_REPO: z.string().optional(),
  BUILDKITE_PIPELINE_DEFAULT_BRANCH: z.string().optional(),
  BUILDKITE_MESSAGE: z.string().optional(),
  BUILDKITE_BUILD_AUTHOR_EMAIL: z.string().optional(),
  BUILDKITE_TAG: z.string().optional(),
  BUILDKITE_COMMIT: z.string().optional(),
  /** Overrides the computed diff base (a commit or ref). */
  CI_DIFF_BASE: z.string().optional(),
  FULL_BUILD: z.string().optional(),
});
export type GeneratorEnv = z.infer<typeof GeneratorEnv>;

export function parseEnv(env: Record<string, string | undefined>): GeneratorEnv {
  const picked = Object.fromEntries(
    Object.keys(GeneratorEnv.shape).flatMap((k) =>
      env[k] === undefined || env[k] === "" ? [] : [[k, env[k]]],
    ),
  );
  return parseWith(GeneratorEnv, picked, "environment");
}

export type BuildKind = "pull-request" | "default-branch" | "tag" | "branch";

/** What kind of build this is, decided once from the environment; values stay data. */
export type BuildContext = {
  kind: BuildKind;
  branch: string;
  defaultBranch: string;
  pullRequest?: { number: number; baseBranch: string; fromFork: boolean };
  /** A release tag `vX.Y.Z`. */
  releaseTag?: string;
  message: string;
  authorEmail: string;
  fullBuild?: string;
  diffBaseOverride?: string;
};

export const RELEASE_TAG = /^v\d+\.\d+\.\d+$/;

export function buildContext(env: GeneratorEnv, fallbackBranch: string): BuildContext {
  const branch = env.BUILDKITE_BRANCH ?? fallbackBranch;
  const defaultBranch = env.BUILDKITE_PIPELINE_DEFAULT_BRANCH ?? "main";
  const prNumber =
    env.BUILDKITE_PULL_REQUEST && env.BUILDKITE_PULL_REQUEST !== "false"
      ? Number(env.BUILDKITE_PULL_REQUEST)
      : undefined;
  const message = env.BUILDKITE_MESSAGE ?? "";
  const fullBuild =
    env.FULL_BUILD === "true"
      ? "FULL_BUILD=true"
      : message.includes("[full-build]")
        ? "[full-build] in the message"
        : undefined;
  const base = {
    branch,
    defaultBranch,
    message,
    authorEmail: env.BUILDKITE_BUILD_AUTHOR_EMAIL ?? "",
    fullBuild,
    diffBaseOverride: env.CI_DIFF_BASE,
  };
  if (env.BUILDKITE_TAG && RELEASE_TAG.test(env.BUILDKITE_TAG)) {
    return { ...base, kind: "tag", releaseTag: env.BUILDKITE_TAG };
  }
  if (prNumber !== undefined) {
    // Fails closed: a PR counts as from a fork unless both repositories are known and the same.
    const head = env.BUILDKITE_PULL_REQUEST_REPO;
    const fromFork = !head || !env.BUILDKITE_REPO || repoIdentity(head) !== repoIdentity(env.BUILDKITE_REPO);
    return {
      ...base,
      kind: "pull-request",
      pullRequest: {
        number: prNumber,
        baseBranch: env.BUILDKITE_PULL_REQUEST_BASE_BRANCH ?? defaultBranch,
        fromFork,
      },
    };
  }
  return { ...base, kind: branch === defaultBranch ? "default-branch" : "branch" };
}
