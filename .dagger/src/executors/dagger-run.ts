import { dag, ReturnType, type Container, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { posix } from "node:path";
import { versions } from "../catalog/versions.ts";
import { failureTails } from "../plan/render.ts";
import { runGraph, withNeeds } from "../plan/schedule.ts";
import type { SmokeTask } from "../plan/task.ts";
import { sectionBody } from "../release/changelog.ts";
import { availableParallelism } from "node:os";
import { Pool } from "../plan/pool.ts";
import { renderCheck, renderCi, renderNotConfigured } from "../plan/render.ts";
import { runCheck, runCi } from "../run/check.ts";
import { GENERATED_FILES, regenerate } from "../docs/generated.ts";
import { reviewDiff } from "../review/review.ts";
import { DaggerSource } from "../source/dagger.ts";
import { CHECKSUMS_FILE, planBinaries } from "../binaries/plan.ts";
import { loadContext } from "../checks/context.ts";
import { daggerBinaries } from "./binaries.ts";
import { CI_IMAGE_NAME, daggerCiImage } from "./ci-image.ts";
import { DaggerExecutor } from "./dagger.ts";
import { isConfigured } from "../config/schema.ts";
import { loadConfig } from "../config/load.ts";
import { catalog, configuredEntries } from "../catalog/catalog.ts";
import { InputError } from "../errors.ts";

/**
 * A failed check throws with the full report (every failing task, its exit code and output
 * tail), so the engine marks the function failed and the message says why. An optional check the
 * config leaves out (mobile, birmel) returns "not configured" instead, so `dagger check` over a
 * repo without a mobile app or a service passes, as the generated pipeline leaves them out.
 */
export async function daggerCheck(key: string, source: Directory, gitSha = "unknown"): Promise<string> {
  const executor = new DaggerExecutor(source, gitSha);
  if (!isConfigured(await executor.config(), key)) return renderNotConfigured(key);
  const report = await runCheck(key, executor, new Pool(availableParallelism()));
  const text = renderCheck(report);
  if (report.status === "failed") throw new Error(text);
  return text;
}

export async function daggerCi(source: Directory, gitSha: string): Promise<string> {
  const report = await runCi(new DaggerExecutor(source, gitSha), new Pool(availableParallelism()));
  const text = renderCi(report);
  if (report.status === "failed") throw new Error(text);
  return text;
}

/** The review's Markdown; code-review.sh posts it and fails the soft-failing step on the marker. */
export async function daggerReview(source: Directory, diff: File): Promise<string> {
  const review = await reviewDiff(await diff.contents(), new DaggerExecutor(source, "unknown"));
  return review.markdown;
}

/**
 * Only the regenerated files, so `export --path=.` overwrites exactly those; a file without its
 * marker lines is left out, as the host's `bun run readmes` leaves it.
 */
export async function daggerUpdateReadmes(source: Directory): Promise<Directory> {
  const view = new DaggerSource(source);
  const entries = configuredEntries(catalog, await loadConfig(view));
  let out = dag.directory();
  for (const file of GENERATED_FILES) {
    const before = await view.readText(file);
    if (before === undefined) continue;
    const { text, unmarked } = regenerate(file, before, entries);
    if (!unmarked.length) out = out.withNewFile(file, text);
  }
  return out;
}

export type PublishOptions = {
  gitSha: string;
  version: string;
  registry: string;
  username: Secret;
  password: Secret;
};

/**
 * Builds the service (generate, build) and pushes its image as `<registry>/<service>:<sha12>` and
 * `:<version>`, and the CI image as `<registry>/monorepo-ci:<sha12>` and `:<version>`. Both tags name the same content, so pushing again is safe.
 */
export async function daggerPublish(source: Directory, opts: PublishOptions): Promise<string> {
  const executor = new DaggerExecutor(source, opts.gitSha);
  const auth = async (ctr: Container) =>
    ctr.withRegistryAuth(
      opts.registry.split("/")[0] ?? opts.registry,
      await opts.username.plaintext(),
      opts.password,
    );
  const images: [Container, string][] = [];
  const notes: string[] = [];
  if (isConfigured(await executor.config(), "birmel")) {
    const service = await serviceImage(executor, opts.version);
    images.push([await auth(service.image), `${opts.registry}/${service.name}`]);
  } else notes.push("(no service image: monorepo-ci.json configures no birmel service)");
  // The CI image goes next to the service's (buildkite.image pins one by digest), when the source
  // is the repository that holds the module: its dagger.json names the dagger CLI to install.
  if ((await new DaggerSource(source).readText("dagger.json")) !== undefined) {
    images.push([await auth(await daggerCiImage(source)), `${opts.registry}/${CI_IMAGE_NAME}`]);
  } else notes.push("(the CI image was not built: the source has no dagger.json)");
  if (!images.length) throw new InputError(`publish: nothing to publish ${notes.join(" ")}`);
  const refs = [];
  for (const [ctr, name] of images) {
    for (const tag of [opts.gitSha.slice(0, 12), opts.version])
      refs.push(await ctr.publish(`${name}:${tag}`));
  }
  return [...refs, ...notes].join("\n");
}

/** The service built (generate, build) into its image, and the image's repository name. */
async function serviceImage(
  executor: DaggerExecutor,
  version: string,
): Promise<{ image: Container; name: string }> {
  const plan = await executor.plan("birmel");
  const smoke = plan.tasks.find((t): t is SmokeTask => t.kind === "smoke");
  if (!smoke)
    throw new Error("publish: the service package has no start script, so there is no image to push");
  const build = plan.tasks.filter((t) => t.id === "build");
  const buildSteps = withNeeds(plan.tasks, build);
  const results = await runGraph(buildSteps, (t) => executor.runTask(t, plan), new Pool(1));
  const failed = results.filter((r) => r.status !== "passed");
  if (failed.length) throw new Error(`publish: the build failed\n\n${failureTails(failed)}`);
  return { image: await executor.serviceImage(smoke, plan, version), name: posix.basename(smoke.cwd) };
}

/**
 * Creates the tag's GitHub Release, or updates it when it exists, with the tag's CHANGELOG.md
 * section as the body; a re-run edits instead of duplicating.
 */
export async function daggerGithubRelease(
  source: Directory,
  tag: string,
  repository: string,
  token: Secret,
): Promise<string> {
  const changelog = await new DaggerSource(source).readText("CHANGELOG.md");
  if (changelog === undefined) throw new Error("github-release: the source has no CHANGELOG.md");
  const gh = dag
    .container()
    .from(versions.images.alpine)
    .withExec(["apk", "add", "--no-cache", "github-cli"])
    .withSecretVariable("GH_TOKEN", token)
    .withEnvVariable("GH_REPO", repository)
    .withNewFile("/release/notes.md", `${sectionBody(changelog, tag)}\n`)
    // GitHub's state is outside the engine's view: every run must ask again, never replay a cache.
    .withEnvVariable("RELEASE_RUN_AT", new Date().toISOString());
  const exists =
    (await gh.withExec(["gh", "release", "view", tag], { expect: ReturnType.Any }).exitCode()) === 0;
  const notes = ["--title", tag, "--notes-file", "/release/notes.md"];
  await gh
    .withExec(
      exists
        ? ["gh", "release", "edit", tag, ...notes]
        : ["gh", "release", "create", tag, "--verify-tag", ...notes],
    )
    .sync();
  // The declared binaries and their SHA256SUMS, replacing any of the same name (a re-run).
  const builds = await planBinaries(await loadContext(new DaggerSource(source)));
  if (builds.length) {
    const files = [...builds.map((b) => b.file), CHECKSUMS_FILE].map((f) => `/release/bin/${f}`);
    await gh
      .withDirectory("/release/bin", await daggerBinaries(source))
      .withExec(["gh", "release", "upload", tag, "--clobber", ...files])
      .sync();
  }
  const attached = builds.length ? `, with ${builds.length} binaries and ${CHECKSUMS_FILE}` : "";
  return `${exists ? "updated" : "created"} the GitHub Release ${tag} of ${repository}${attached}`;
}
