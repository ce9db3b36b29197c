import { Document, isMap, isSeq, type Node } from "yaml";
import { cliName, configuredEntries } from "../catalog/catalog.ts";
import type { Catalog, CatalogEntry } from "../catalog/schema.ts";
import { loadConfig } from "../config/load.ts";
import type { MonorepoConfig } from "../config/schema.ts";
import { engineVersionOf, monorepoToolchain } from "../config/dagger-json.ts";
import { MODULE_REF } from "../init/package-facts.ts";
import type { SourceView } from "../source/view.ts";
import { InputError } from "../errors.ts";

/**
 * GitHub Actions workflows from the catalog: one visible job per check, as on Buildkite. Pure
 * rendering: the catalog, dagger.json's engine version and monorepo-ci.json in, YAML text out.
 *
 * Values GitHub knows only at run time (a tag, a base branch) reach commands through `env:` and
 * quoted shell variables, never through `${{ }}` in a script. The only expressions in a command
 * line are `github.sha` (always hex) and, inside the official action's inputs, constants.
 */

/** Actions, pinned to a full commit SHA; the comment is the release it is. */
export const ACTIONS = {
  checkout: { uses: "actions/checkout", sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
  dagger: {
    uses: "dagger/dagger-for-github",
    sha: "27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77",
    version: "v8.4.1",
  },
} as const;

export const CI_WORKFLOW = ".github/workflows/ci.yml";
export const RELEASE_WORKFLOW = ".github/workflows/release.yml";

const HEADER =
  "Generated from the catalog by `bun run readmes`: edit .dagger/src/catalog, monorepo-ci.json or dagger.json, not this file.";

/** Is this workflow one we wrote? Only those are ours to rewrite; a team's own is never touched. */
export const isGeneratedWorkflow = (text: string) => text.startsWith(`# ${HEADER}`);

/** `toolchain`: the name dagger.json installs the module under, when it is used by reference. */
export type WorkflowInputs = {
  engineVersion: string;
  config: Pick<MonorepoConfig, "release">;
  toolchain?: string;
};

/** A function as `dagger call` names it here: under the toolchain, when there is one. */
const called = (inputs: WorkflowInputs, fn: string) =>
  inputs.toolchain ? `${inputs.toolchain} ${cliName(fn)}` : cliName(fn);

/** Dagger Cloud gets the token only when the run is not a fork's pull request; empty otherwise. */
const CLOUD_TOKEN =
  "${{ (github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository) && secrets.DAGGER_CLOUD_TOKEN || '' }}";

/** `:scroll: Compliance` → `Compliance`: GitHub does not render Buildkite's emoji codes. */
const jobName = (e: CatalogEntry) => e.label.replace(/:[a-z0-9_+-]+:\s*/g, "").trim();

const checkout = (extra: Record<string, unknown> = {}) => ({
  uses: `${ACTIONS.checkout.uses}@${ACTIONS.checkout.sha}`,
  ...(Object.keys(extra).length && { with: extra }),
});

/** The official action: installs the pinned CLI, and with `args` runs `dagger call <args>`. */
const dagger = (engineVersion: string, args?: string) => ({
  uses: `${ACTIONS.dagger.uses}@${ACTIONS.dagger.sha}`,
  with: { version: engineVersion, ...(args && { verb: "call", args, "cloud-token": CLOUD_TOKEN }) },
});

function ciJobs(entries: Catalog, inputs: WorkflowInputs): Record<string, unknown> {
  const { engineVersion } = inputs;
  const checks = entries.filter((e) => e.kind === "check");
  const jobs: Record<string, unknown> = {};
  for (const e of checks) {
    jobs[e.key] = {
      name: jobName(e),
      "runs-on": "ubuntu-latest",
      "timeout-minutes": e.timeoutMinutes,
      steps: [checkout(), dagger(engineVersion, `${called(inputs, e.daggerFunction)} --source=.`)],
    };
  }
  for (const e of entries.filter((x) => x.kind === "aggregate")) {
    jobs[e.key] = {
      name: jobName(e),
      needs: e.dependsOn,
      "runs-on": "ubuntu-latest",
      "timeout-minutes": e.timeoutMinutes,
      steps: [
        checkout(),
        dagger(engineVersion, `${called(inputs, e.daggerFunction)} --source=. --git-sha=\${{ github.sha }}`),
      ],
    };
  }
  const review = entries.find((e) => e.key === "code-review");
  if (review) {
    jobs[review.key] = {
      name: jobName(review),
      if: "github.event_name == 'pull_request'",
      "continue-on-error": true,
      "runs-on": "ubuntu-latest",
      "timeout-minutes": review.timeoutMinutes,
      steps: [
        checkout({ "fetch-depth": 0 }),
        {
          name: "Diff against the merge base",
          env: { BASE_REF: "${{ github.base_ref }}" },
          run: [
            'git fetch --no-tags origin "refs/heads/${BASE_REF}"',
            'git diff "$(git merge-base HEAD FETCH_HEAD)" HEAD > review.diff',
          ].join("\n"),
        },
        dagger(engineVersion, `${called(inputs, review.daggerFunction)} --source=. --diff=review.diff`),
      ],
    };
  }
  return jobs;
}

function releaseJobs(entries: Catalog, inputs: WorkflowInputs): Record<string, unknown> {
  const publish = entries.find((e) => e.key === "publish");
  const release = entries.find((e) => e.key === "github-release");
  if (!publish || !release) return {};
  const cloud = { DAGGER_CLOUD_TOKEN: "${{ secrets.DAGGER_CLOUD_TOKEN }}" };
  const checkTag =
    '[[ "$TAG" =~ ^v[0-9]+\\.[0-9]+\\.[0-9]+$ ]] || { echo "not a release tag: $TAG" >&2; exit 1; }';
  return {
    [publish.key]: {
      name: jobName(publish),
      "runs-on": "ubuntu-latest",
      "timeout-minutes": publish.timeoutMinutes,
      permissions: { contents: "read", packages: "write" },
      steps: [
        checkout(),
        dagger(inputs.engineVersion),
        {
          name: "Publish the images",
          env: {
            ...cloud,
            TAG: "${{ github.ref_name }}",
            GIT_SHA: "${{ github.sha }}",
            REGISTRY: inputs.config.release.registry ?? "",
            REGISTRY_USERNAME: "${{ github.actor }}",
            REGISTRY_PASSWORD: "${{ secrets.GITHUB_TOKEN }}",
          },
          run: [
            checkTag,
            '[[ -n "$REGISTRY" ]] || { echo "monorepo-ci.json: release.registry is not set" >&2; exit 1; }',
            `dagger call ${called(inputs, publish.daggerFunction)} --source=. "--git-sha=$GIT_SHA" "--version=\${TAG#v}" "--registry=$REGISTRY" --registry-username=env://REGISTRY_USERNAME --registry-password=env://REGISTRY_PASSWORD`,
          ].join("\n"),
        },
      ],
    },
    [release.key]: {
      name: jobName(release),
      needs: [publish.key],
      "runs-on": "ubuntu-latest",
      "timeout-minutes": release.timeoutMinutes,
      permissions: { contents: "write" },
      steps: [
        checkout(),
        dagger(inputs.engineVersion),
        {
          name: "Create or update the GitHub Release",
          env: {
            ...cloud,
            TAG: "${{ github.ref_name }}",
            REPOSITORY: "${{ github.repository }}",
            GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}",
          },
          run: [
            checkTag,
            `dagger call ${called(inputs, release.daggerFunction)} --source=. "--tag=$TAG" "--repository=$REPOSITORY" --github-token=env://GITHUB_TOKEN`,
          ].join("\n"),
        },
      ],
    },
  };
}

/** Puts `# vX.Y.Z` after every pinned `uses:`, so the SHA says which release it is. */
function commentPins(node: Node | null | undefined): void {
  if (isSeq(node)) node.items.forEach((n) => commentPins(n as Node));
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const value = pair.value as Node | null;
    if ((pair.key as { value?: unknown })?.value === "uses" && value && "value" in value) {
      const pin = Object.values(ACTIONS).find((a) => value.value === `${a.uses}@${a.sha}`);
      if (pin) value.comment = ` ${pin.version}`;
    }
    commentPins(value);
  }
}

function render(workflow: Record<string, unknown>): string {
  const doc = new Document(workflow);
  doc.commentBefore = ` ${HEADER}`;
  commentPins(doc.contents);
  return doc.toString({ lineWidth: 0 });
}

/**
 * A branch name as a push filter that matches exactly that branch. Of the filter's special
 * characters (`*`, `?`, `[`, `+`, `!`, backslash), git allows only `+` and `!` in a branch name;
 * both are escaped. GitHub evaluates no expression in `on:`, but actionlint (our quality check)
 * reads "${{" anywhere as one and no escape keeps it literal, so such a name is refused.
 */
export function branchFilter(name: string): string {
  if (name.includes("${{")) {
    throw new InputError(
      `monorepo-ci.json: release.defaultBranch "${name}" has "\${{", which actionlint reads as an expression in a GitHub workflow's branch filter: no generated workflow can name it`,
    );
  }
  return name.replace(/[+!]/g, (c) => `\\${c}`);
}

export function ciWorkflow(entries: Catalog, inputs: WorkflowInputs): string {
  return render({
    name: "ci",
    on: {
      push: { branches: [branchFilter(inputs.config.release.defaultBranch)] },
      pull_request: {},
    },
    permissions: { contents: "read" },
    concurrency: {
      group: "${{ github.workflow }}-${{ github.ref }}",
      "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    },
    jobs: ciJobs(entries, inputs),
  });
}

export function releaseWorkflow(entries: Catalog, inputs: WorkflowInputs): string {
  return render({
    name: "release",
    on: { push: { tags: ["v*.*.*"] } },
    permissions: { contents: "read" },
    concurrency: { group: "${{ github.workflow }}-${{ github.ref }}", "cancel-in-progress": false },
    jobs: releaseJobs(entries, inputs),
  });
}

/**
 * Both workflows for a source: its dagger.json and monorepo-ci.json, this catalog. A check the
 * config leaves out has no job, and `ci` does not need it.
 */
export async function renderWorkflows(view: SourceView, all: Catalog): Promise<Map<string, string>> {
  const config = await loadConfig(view);
  const entries = configuredEntries(all, config);
  const inputs: WorkflowInputs = {
    engineVersion: await engineVersionOf(view, "workflows"),
    config,
    toolchain: monorepoToolchain(await view.readText("dagger.json"), MODULE_REF),
  };
  return new Map([
    [CI_WORKFLOW, ciWorkflow(entries, inputs)],
    [RELEASE_WORKFLOW, releaseWorkflow(entries, inputs)],
  ]);
}
