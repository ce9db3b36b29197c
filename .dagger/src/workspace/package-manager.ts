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

/**
 * Each checked script (typecheck, lint, test, build) of each package, root included, that calls
 * another package manager, with the manager: neither the engine's image nor bun has it.
 */
export function scriptsCallingOtherManagers(
  workspace: Workspace,
  scripts: readonly string[],
): { manifest: string; script: string; manager: string }[] {
  const packages = [{ manifestPath: "package.json", manifest: workspace.root }, ...workspace.members];
  return packages.flatMap((pkg) =>
    Object.entries(pkg.manifest.scripts ?? {}).flatMap(([script, body]) => {
      if (!scripts.includes(script)) return [];
      const manager = OTHER_MANAGER.exec(body)?.[1];
      return manager ? [{ manifest: pkg.manifestPath, script, manager }] : [];
    }),
  );
}
