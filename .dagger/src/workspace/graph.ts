import { InputError } from "../errors.ts";
import type { Workspace, WorkspacePackage } from "./discover.ts";
import { dependencyNames } from "./manifest.ts";

/**
 * Which workspace packages build on which, from the manifests alone: a dependency of any kind
 * (dev, peer and optional included) whose name is a package of this workspace, as Turborepo's
 * `^build` reads it. Pure: the workspace in, packages out.
 */

const byName = (workspace: Workspace) =>
  new Map(workspace.manifests.flatMap((m) => (m.manifest.name ? [[m.manifest.name, m] as const] : [])));

/** The workspace packages a package depends on directly, in name order. */
export function directDependencies(workspace: Workspace, pkg: WorkspacePackage): WorkspacePackage[] {
  const names = byName(workspace);
  return dependencyNames(pkg.manifest)
    .sort()
    .flatMap((name) => {
      const dep = names.get(name);
      return dep && dep.dir !== pkg.dir ? [dep] : [];
    });
}

/** The workspace packages `dir`'s package depends on, transitively, matched by name. */
export function workspaceDependencies(workspace: Workspace, dir: string): WorkspacePackage[] {
  const found = new Map<string, WorkspacePackage>();
  const start = workspace.manifests.find((m) => m.dir === dir);
  const visit = (pkg: WorkspacePackage) => {
    for (const dep of directDependencies(workspace, pkg)) {
      if (found.has(dep.dir) || dep.dir === dir) continue;
      found.set(dep.dir, dep);
      visit(dep);
    }
  };
  if (start) visit(start);
  return [...found.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * Bad input when the packages depend on each other in a circle: no build order exists. The
 * message names the circle by package and manifest, so it can be broken where it is written.
 */
export function assertNoDependencyCycle(workspace: Workspace, packages: WorkspacePackage[]): void {
  const state = new Map<string, "open" | "done">();
  const visit = (pkg: WorkspacePackage, trail: WorkspacePackage[]): void => {
    if (state.get(pkg.dir) === "done") return;
    if (state.get(pkg.dir) === "open") {
      const circle = [...trail.slice(trail.findIndex((p) => p.dir === pkg.dir)), pkg];
      const names = circle.map((p) => p.manifest.name ?? p.dir).join(" → ");
      throw new InputError(
        `workspace dependency cycle: ${names} (${circle
          .slice(0, -1)
          .map((p) => p.manifestPath)
          .join(", ")}); builds need an order, so one of these dependencies must go`,
      );
    }
    state.set(pkg.dir, "open");
    for (const dep of directDependencies(workspace, pkg)) visit(dep, [...trail, pkg]);
    state.set(pkg.dir, "done");
  };
  for (const pkg of packages) visit(pkg, []);
}
