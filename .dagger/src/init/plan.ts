import { CONFIG_FILE } from "../config/schema.ts";
import { CONFIG_SCHEMA_FILE } from "../config/json-schema.ts";
import { parseJsonText } from "../errors.ts";
import type { ToolChoice } from "../checks/quality/tools.ts";
import type { Workspace } from "../workspace/discover.ts";
import { dependencyNames } from "../workspace/manifest.ts";

/**
 * What `monorepo-ci init` writes into a repository, planned from what is there: pure, so the CLI
 * only reads, shows and writes. A file init did not write is never overwritten: it is refused by
 * name, with what to do, and left as it is.
 */

export type InitInput = {
  /** A file's text in the repository, or undefined when it is not there. */
  existing: (path: string) => string | undefined;
  workspace: Workspace;
  tools: ToolChoice;
  /** The installed package's version, and where its Dagger module is published. */
  version: string;
  moduleRef: string;
  engineVersion: string;
  /** The repository's directory name, for dagger.json's `name`. */
  repoName: string;
};

export type FileChange = {
  path: string;
  action: "create" | "update" | "unchanged";
  text: string;
  why: string;
};
export type InitPlan = {
  files: FileChange[];
  refused: { path: string; why: string }[];
  detected: string[];
  next: string[];
};

/** The first line of every file init owns: how a later init or upgrade knows it may rewrite it. */
export const OWNED_MARK = "# Written by monorepo-ci init";
export const TOOLCHAIN_NAME = "monorepo";
export const PIPELINE_FILE = ".buildkite/pipeline.yml";
const GITIGNORE_HEAD = "# monorepo-ci: what its runs leave in the checkout";
const GITIGNORE_LINES = [".buildkite/.local/", "junit/", "coverage/"];

/** The one step Buildkite starts with: the installed package prints the rest. */
export function pipelineYaml(version: string): string {
  return [
    `${OWNED_MARK} (monorepo-ci ${version}); \`monorepo-ci upgrade\` rewrites it.`,
    "# Every other step comes from monorepo-ci.json and the catalog: edit those, not this file.",
    "steps:",
    '  - label: ":pipeline: monorepo-ci"',
    "    key: pipeline",
    "    commands:",
    "      - bun install --frozen-lockfile",
    "      - set -o pipefail; bunx monorepo-ci pipeline | buildkite-agent pipeline upload",
    "",
  ].join("\n");
}

/** A workspace package that is a React Native or Expo app: the mobile check's. */
function mobileApp(workspace: Workspace): string | undefined {
  return workspace.members.find((m) =>
    dependencyNames(m.manifest).some((d) => d === "react-native" || d === "expo"),
  )?.dir;
}

/** A repository whose packages call their typecheck `check-types` (Turborepo's examples do). */
function typecheckName(workspace: Workspace): string | undefined {
  const scripts = workspace.members.map((m) => m.manifest.scripts ?? {});
  const theirs = scripts.some((s) => s["check-types"] !== undefined);
  return theirs && !scripts.some((s) => s.typecheck !== undefined) ? "check-types" : undefined;
}

function configFor(input: InitInput, detected: string[]): string {
  const config: Record<string, unknown> = {
    $schema: `./node_modules/monorepo-ci/${CONFIG_SCHEMA_FILE}`,
  };
  const mobile = mobileApp(input.workspace);
  if (mobile) {
    config.mobile = { workspace: mobile };
    detected.push(`a React Native or Expo app at ${mobile}: the mobile check runs on it`);
  }
  const typecheck = typecheckName(input.workspace);
  if (typecheck) {
    config.scriptNames = { typecheck };
    detected.push(`packages call their typecheck "${typecheck}": mapped in scriptNames`);
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** A dagger.json name: the engine takes letters, digits and dashes. */
const moduleName = (dir: string) =>
  dir
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "") || "app";

type Toolchain = { name?: unknown; source?: unknown };

function daggerJson(input: InitInput, refused: InitPlan["refused"]): FileChange | undefined {
  const path = "dagger.json";
  const ref = `${input.moduleRef}@v${input.version}`;
  const before = input.existing(path);
  if (before === undefined) {
    const text = `${JSON.stringify(
      {
        name: moduleName(input.repoName),
        engineVersion: input.engineVersion,
        toolchains: [{ name: TOOLCHAIN_NAME, source: ref }],
      },
      null,
      2,
    )}\n`;
    return { path, action: "create", text, why: `the Dagger module as a toolchain, ${ref}` };
  }
  const parsed = parseJsonText(before, path) as { toolchains?: Toolchain[] };
  const ours = (parsed.toolchains ?? []).some(
    (t) => typeof t.source === "string" && t.source.startsWith(`${input.moduleRef}@`),
  );
  if (ours) return { path, action: "unchanged", text: before, why: "already has the monorepo-ci toolchain" };
  refused.push({
    path,
    why: `yours, without the monorepo-ci toolchain, so kept as it is; add the toolchain with \`dagger toolchain install ${ref} --name ${TOOLCHAIN_NAME}\``,
  });
  return undefined;
}

function gitignore(input: InitInput): FileChange {
  const path = ".gitignore";
  const before = input.existing(path);
  const have = new Set((before ?? "").split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, "")));
  if (!missing.length)
    return { path, action: "unchanged", text: before ?? "", why: "already ignores what runs leave" };
  const base = before === undefined ? "" : before.endsWith("\n") || before === "" ? before : `${before}\n`;
  const gap = base ? "\n" : "";
  const text = `${base}${gap}${GITIGNORE_HEAD}\n${missing.join("\n")}\n`;
  return {
    path,
    action: before === undefined ? "create" : "update",
    text,
    why: `ignores ${missing.join(", ")}`,
  };
}

export function planInit(input: InitInput): InitPlan {
  const files: FileChange[] = [];
  const refused: InitPlan["refused"] = [];
  const detected: string[] = [
    `${input.workspace.members.length} workspace package(s)`,
    `linters: ${input.tools.linters.join(", ") || "none found"}; formatters: ${input.tools.formatters.join(", ") || "none found"} (the quality check runs them with your configs)`,
  ];

  const config = input.existing(CONFIG_FILE);
  files.push(
    config === undefined
      ? { path: CONFIG_FILE, action: "create", text: configFor(input, detected), why: "the checks' settings" }
      : { path: CONFIG_FILE, action: "unchanged", text: config, why: "yours: init never rewrites it" },
  );

  const pipeline = input.existing(PIPELINE_FILE);
  const want = pipelineYaml(input.version);
  if (pipeline === undefined) {
    files.push({ path: PIPELINE_FILE, action: "create", text: want, why: "one step that uploads the rest" });
  } else if (!pipeline.startsWith(OWNED_MARK)) {
    refused.push({
      path: PIPELINE_FILE,
      why: "yours, not written by monorepo-ci init, so kept as it is; make a step of it run `bunx monorepo-ci pipeline | buildkite-agent pipeline upload`, or move it aside and run init again",
    });
  } else {
    files.push({
      path: PIPELINE_FILE,
      action: pipeline === want ? "unchanged" : "update",
      text: want,
      why: "one step that uploads the rest",
    });
  }

  files.push(gitignore(input));
  const dagger = daggerJson(input, refused);
  if (dagger) files.push(dagger);

  const next = [
    "bunx monorepo-ci check ci: run every check here; each finding names the key to set",
    "bunx monorepo-ci check quality --update-baseline: record the suppressions you already have",
    "commit what init wrote; in Buildkite, upload .buildkite/pipeline.yml",
    `dagger check: the same checks in Dagger, through the "${TOOLCHAIN_NAME}" toolchain`,
  ];
  return { files, refused, detected, next };
}
