import { InputError } from "../errors.ts";
import type { Workspace } from "./discover.ts";

/** The page that says how to move a pnpm, npm or Yarn repository to bun. */
export const MIGRATION_PAGE = "docs/package-managers.md";

/**
 * monorepo-ci runs bun: its installs, its scripts, its images. A pnpm, npm or Yarn repository is
 * refused with what to do (docs/package-managers.md), never half-run with the wrong manager: bun
 * migrates their lockfiles itself (`bun install` reads pnpm-lock.yaml, package-lock.json and
 * yarn.lock and writes bun.lock), and reads workspaces from package.json.
 */

const FOREIGN_LOCKFILES = ["pnpm-lock.yaml", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock"];

/** Bad input when the root is another package manager's: named, with the migration page. */
export function assertBunRepository(rootFiles: ReadonlySet<string>, workspace: Workspace): void {
  const foreign = FOREIGN_LOCKFILES.find((f) => rootFiles.has(f));
  if (foreign && !rootFiles.has("bun.lock")) {
    throw new InputError(
      `${foreign}: this repository is installed with another package manager, and monorepo-ci runs bun; run \`bun install\` to migrate it to bun.lock (see ${MIGRATION_PAGE})`,
    );
  }
  if (rootFiles.has("pnpm-workspace.yaml") && workspace.root.workspaces === undefined) {
    throw new InputError(
      `pnpm-workspace.yaml: bun reads the workspace from "workspaces" in package.json; copy its packages globs there (see ${MIGRATION_PAGE})`,
    );
  }
}

/** `pnpm run x`, `yarn x`, `npx y`, `npm run z`: a script that needs a manager monorepo-ci does not install. */
const OTHER_MANAGER = /(?:^|[\s;&|(])(pnpm|yarn|npx|npm|pnpx)(?=\s|$)/;

/** `bun run x`, `npm run x`, `pnpm x`, `yarn run x`: the scripts of the same manifest a script runs. */
const RUNS_SCRIPT = /(?:^|[\s;&|(])(?:bun|npm|pnpm|yarn)\s+(?:run(?:-script)?\s+)?([\w:.-]+)/g;

/** A checked script and every script of its manifest it runs, however deep: all of them run. */
function reachableScripts(scripts: Record<string, string>, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const body = scripts[name];
    if (body === undefined || seen.has(name)) return;
    seen.add(name);
    for (const m of body.matchAll(RUNS_SCRIPT)) visit(m[1] as string);
  };
  roots.forEach(visit);
  return [...seen];
}

/**
 * Each checked script (typecheck, lint, test, build) of each package, root included, and each
 * script it runs in turn, that calls another package manager, with the manager: neither the
 * engine's image nor bun has it.
 */
export function scriptsCallingOtherManagers(
  workspace: Workspace,
  scripts: readonly string[],
): { manifest: string; script: string; manager: string }[] {
  const packages = [{ manifestPath: "package.json", manifest: workspace.root }, ...workspace.members];
  return packages.flatMap((pkg) => {
    const own = pkg.manifest.scripts ?? {};
    return reachableScripts(own, scripts).flatMap((script) => {
      const manager = OTHER_MANAGER.exec(own[script] ?? "")?.[1];
      return manager ? [{ manifest: pkg.manifestPath, script, manager }] : [];
    });
  });
}

/**
 * The root's `packageManager`, when it names another manager: turbo and corepack read it and look
 * for that manager, which monorepo-ci does not install.
 */
export function foreignPackageManager(workspace: Workspace): string | undefined {
  const declared = workspace.root.packageManager;
  return declared !== undefined && !/^bun@/.test(declared) ? declared : undefined;
}
