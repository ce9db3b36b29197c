import picomatch from "picomatch";
import type { Exemption } from "../config/schema.ts";
import type { CheckPlan, Finding, InlineTask } from "../plan/task.ts";
import { versions } from "../catalog/versions.ts";
import { lockedWorkspaces } from "../workspace/bunlock.ts";
import { packageLabel, workspaceRoots, type WorkspacePackage } from "../workspace/discover.ts";
import { missingScriptCovered, scriptName, type CheckContext } from "./context.ts";
import { matchesPackage } from "../workspace/patterns.ts";
import {
  foreignPackageManager,
  MIGRATION_PAGE,
  scriptsCallingOtherManagers,
} from "../workspace/package-manager.ts";

export const REQUIRED_SCRIPTS = ["typecheck", "lint", "test", "build"] as const;

/** An echo that only prints (no redirection, pipe or command substitution), `true`, `:`, `exit 0`. */
const NOOP_SEGMENT = /^(?:echo(?:\s(?:(?!\$\(|[>|`]).)*)?|true|:|exit(?:\s+0)?|)$/;

/**
 * A script that cannot fail and does nothing: every `&&`/`||`/`;` segment is a bare echo, true,
 * `:`, `exit 0` or empty. An echo into a file or a pipe does work, so it is not a stub.
 */
export function isStubScript(script: string): boolean {
  return script.split(/&&|\|\||;/).every((segment) => NOOP_SEGMENT.test(segment.trim()));
}

/** The bun the images pin (`oven/bun:1.4.5-debian`), which a repository's packageManager should name. */
const PINNED_BUN = /:(\d+\.\d+\.\d+)/.exec(versions.images.bun)?.[1] ?? "1";

export function exemptionFor(
  exemptions: Exemption[],
  pkg: WorkspacePackage,
  script: string,
): Exemption | undefined {
  return exemptions.find((e) => e.script === script && matchesPackage(e.package, pkg));
}

const LICENSE_FILES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING"];
// Case does not matter to a secret: .ENV, server.PEM and ID_RSA are as bad as their lower case.
const isKeyFile = picomatch(
  ["**/*.pem", "**/*.key", "**/id_rsa*", "**/id_ed25519*", "**/id_ecdsa*", "**/.env", "**/.env.*"],
  {
    dot: true,
    nocase: true,
  },
);
/** `.env.example` and friends document variables without holding values. */
const isEnvExample = picomatch(
  ["**/.env.example", "**/.env.sample", "**/.env.template", "**/.env.*.example", "**/id_*.pub"],
  {
    dot: true,
    nocase: true,
  },
);

function inline(
  id: string,
  label: string,
  check: (ctx: CheckContext) => Promise<Finding[]>,
  ctx: CheckContext,
  notes: () => Promise<string[]> = async () => [],
): InlineTask {
  return {
    kind: "inline",
    id,
    label,
    run: async () => ({ findings: await check(ctx), notes: await notes() }),
  };
}

async function scripts(ctx: CheckContext): Promise<Finding[]> {
  const { workspace, config } = ctx;
  const findings: Finding[] = [];
  for (const pkg of workspace.members) {
    for (const role of REQUIRED_SCRIPTS) {
      const script = scriptName(ctx, role);
      const body = pkg.manifest.scripts?.[script];
      const where = `${packageLabel(pkg)} (${pkg.manifestPath})`;
      const exempt = exemptionFor(config.exemptions, pkg, role);
      if (body === undefined && !exempt && !missingScriptCovered(ctx, role)) {
        findings.push({
          where,
          message: `has no "${script}" script; add one, or exempt it with a reason in monorepo-ci.json (exemptions)`,
        });
      } else if (body !== undefined && isStubScript(body) && !exempt) {
        findings.push({
          where,
          message: `"${script}" is a no-op stub (${JSON.stringify(body)}); make it real or exempt it with a reason in monorepo-ci.json`,
        });
      }
    }
  }
  for (const call of scriptsCallingOtherManagers(
    workspace,
    REQUIRED_SCRIPTS.map((role) => scriptName(ctx, role)),
  )) {
    findings.push({
      where: call.manifest,
      message: `the "${call.script}" script calls ${call.manager}, which monorepo-ci does not run (its installs and images are bun's); call bun instead (bun run, bunx; see ${MIGRATION_PAGE})`,
    });
  }
  const declared = foreignPackageManager(workspace);
  if (declared) {
    findings.push({
      where: "package.json",
      message: `"packageManager" is ${JSON.stringify(declared)}, and monorepo-ci runs bun; tools that read it (turbo, corepack) look for that manager: set it to "bun@${PINNED_BUN}" (see ${MIGRATION_PAGE})`,
    });
  }
  for (const e of config.exemptions) {
    if (!workspace.members.some((m) => matchesPackage(e.package, m))) {
      findings.push({ where: "monorepo-ci.json", message: `exemption names unknown package ${e.package}` });
    }
  }
  return findings;
}

async function membership({ workspace, config }: CheckContext): Promise<Finding[]> {
  // A root that declares workspaces but names none has nothing for the checks to check: that is
  // not a pass, unless the config says so.
  if (
    workspace.root.workspaces !== undefined &&
    !workspace.members.length &&
    !workspace.excluded.length &&
    !config.allowEmpty.includes("compliance")
  ) {
    return [
      {
        where: "package.json",
        message: `"workspaces" names no package, so there is nothing to check; list your packages' globs, or add "compliance" to allowEmpty in monorepo-ci.json`,
      },
    ];
  }
  const roots = workspaceRoots(workspace.globs);
  // An excluded package is still a member: excluded from the checks, not from the workspace.
  const members = new Set([...workspace.members, ...workspace.excluded.map((e) => e.pkg)].map((m) => m.dir));
  // A glob that matches nothing is a typo or a stale entry: its packages go unchecked, silently.
  const empty = workspace.globs
    .filter((g) => !g.startsWith("!"))
    .filter((g) => {
      const matches = picomatch(g.replace(/^\.\//, ""), { dot: true });
      return !workspace.manifests.some((m) => matches(m.dir));
    })
    .map((g) => ({ where: "package.json", message: `workspace glob "${g}" matches no package` }));
  return [
    ...empty,
    ...workspace.manifests
      .filter((m) => !members.has(m.dir))
      .filter((m) => roots.some((r) => r === "." || m.dir === r || m.dir.startsWith(`${r}/`)))
      .map((m) => ({
        where: m.manifestPath,
        message: `is under a workspace root but not a workspace member (globs: ${workspace.globs.join(", ")})`,
      })),
  ];
}

async function metadata({ workspace }: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const pkg of workspace.members) {
    const { name, version, license } = pkg.manifest;
    if (!name) findings.push({ where: pkg.manifestPath, message: `has no "name"` });
    if (pkg.manifest.private === true) continue;
    if (!version) findings.push({ where: pkg.manifestPath, message: `has no "version" and is not private` });
    if (!license) findings.push({ where: pkg.manifestPath, message: `has no "license" and is not private` });
  }
  return findings;
}

async function rootFiles({ view, workspace }: CheckContext): Promise<Finding[]> {
  const files = new Set(await view.listFiles());
  const findings: Finding[] = [];
  if (!LICENSE_FILES.some((f) => files.has(f))) {
    findings.push({
      where: "LICENSE",
      message: `the root has no license file (${LICENSE_FILES.join(", ")})`,
    });
  }
  const lock = await view.readText("bun.lock");
  if (lock === undefined) {
    findings.push({ where: "bun.lock", message: "the root has no bun.lock; run bun install and commit it" });
    return findings;
  }
  const locked = new Set(lockedWorkspaces(lock, "bun.lock"));
  for (const pkg of workspace.members) {
    if (!locked.has(pkg.dir)) {
      findings.push({ where: "bun.lock", message: `does not list workspace ${pkg.dir}; run bun install` });
    }
  }
  return findings;
}

/** The files the key-file check and the secret scan read: the listing, and, failing closed, what .gitignore hid. */
export async function filesToGuard(
  view: CheckContext["view"],
): Promise<{ files: string[]; notes: string[] }> {
  const files = await view.listFiles();
  const hidden = await view.hiddenUntracked();
  if (!hidden?.files.length) return { files, notes: [] };
  return {
    files: [...files, ...hidden.files].sort(),
    notes: [
      `${hidden.files.length} file(s) .gitignore hides were checked too: it cannot be known which are tracked (${hidden.why})`,
    ],
  };
}

/** The key files the config allows (`secrets.allowFiles`), each with the entry that allows it. */
function allowedKeyFile(config: CheckContext["config"], file: string) {
  return config.secrets.allowFiles.find((a) => a.path === file || picomatch(a.path, { dot: true })(file));
}

async function keyFiles({ view, config }: CheckContext): Promise<Finding[]> {
  const found = (await filesToGuard(view)).files.filter((f) => isKeyFile(f) && !isEnvExample(f));
  const stale = config.secrets.allowFiles
    .filter((a) => !found.some((f) => allowedKeyFile(config, f) === a))
    .map((a) => ({
      where: "monorepo-ci.json",
      message: `secrets.allowFiles: "${a.path}" matches no key or .env file; remove the entry`,
    }));
  return [
    ...found
      .filter((f) => !allowedKeyFile(config, f))
      .map((f) => ({
        where: f,
        message:
          "secrets or keys must not be committed; remove it and rotate what it held (an example file without secrets may be allowed in monorepo-ci.json: secrets.allowFiles, with a reason)",
      })),
    ...stale,
  ];
}

/** What the key-file rule allowed, said in the report; their content is still scanned for secrets. */
async function allowedKeyFiles({ view, config }: CheckContext): Promise<string[]> {
  return (await filesToGuard(view)).files.flatMap((f) => {
    const allowed = isKeyFile(f) && !isEnvExample(f) ? allowedKeyFile(config, f) : undefined;
    return allowed
      ? [`${f}: allowed by secrets.allowFiles (${allowed.reason}); still scanned for secrets`]
      : [];
  });
}

export async function planCompliance(ctx: CheckContext): Promise<CheckPlan> {
  return {
    key: "compliance",
    installRoots: [],
    tasks: [
      inline("scripts", "workspace scripts", scripts, ctx),
      inline("membership", "workspace membership", membership, ctx),
      inline("metadata", "package metadata", metadata, ctx),
      inline("root-files", "LICENSE and bun.lock", rootFiles, ctx),
      // What the listing left out (submodules, symlinks it does not follow) is said here.
      inline("key-files", "no key or .env files", keyFiles, ctx, async () => [
        ...(await ctx.view.skipped()),
        ...(await filesToGuard(ctx.view)).notes,
        ...(await allowedKeyFiles(ctx)),
      ]),
    ],
  };
}
