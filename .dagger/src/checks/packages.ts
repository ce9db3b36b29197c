import type { CheckPlan, Task } from "../plan/task.ts";
import { packageLabel } from "../workspace/discover.ts";
import { assertNoDependencyCycle, directDependencies } from "../workspace/graph.ts";
import { REQUIRED_SCRIPTS } from "./compliance.ts";
import { installRootOf, type CheckContext } from "./context.ts";
import { scriptTask } from "./scripts.ts";

/**
 * The scripts that read what the packages they depend on have built (their `dist`, their
 * declarations), so they wait for those builds, as Turborepo's `dependsOn: ["^build"]` does.
 */
const AFTER_DEPENDENCY_BUILDS = new Set(["build", "typecheck", "test"]);

/**
 * Every workspace member except the configured mobile and birmel packages, each script its own
 * task, in parallel but for dependency order: a package's build, typecheck and test wait for the
 * builds of the workspace packages it depends on. Without a mobile or birmel key, that package
 * is checked here like any.
 */
export async function planPackages(ctx: CheckContext): Promise<CheckPlan> {
  const own = new Set([ctx.config.mobile?.workspace, ctx.config.birmel?.workspace].filter(Boolean));
  const members = ctx.workspace.members.filter((m) => !own.has(m.dir));
  assertNoDependencyCycle(ctx.workspace, members);
  const idOf = (dir: string, script: string) => `${dir}:${script}`;
  const tasks: Task[] = members.flatMap((pkg) =>
    REQUIRED_SCRIPTS.map((script) =>
      scriptTask(ctx, pkg, script, { id: idOf(pkg.dir, script), package: packageLabel(pkg), column: script }),
    ),
  );
  // Only a build that runs is waited for: a missing or exempt one has nothing to wait for.
  const builds = new Set(tasks.filter((t) => t.kind === "exec" && t.column === "build").map((t) => t.id));
  for (const pkg of members) {
    const needs = directDependencies(ctx.workspace, pkg)
      .map((dep) => idOf(dep.dir, "build"))
      .filter((id) => builds.has(id));
    if (!needs.length) continue;
    for (const script of AFTER_DEPENDENCY_BUILDS) {
      const task = tasks.find((t) => t.id === idOf(pkg.dir, script));
      if (task) task.needs = [...(task.needs ?? []), ...needs];
    }
  }
  // Excluded packages are in the report, skipped with the config's reason, never silently gone.
  for (const { pkg, reason } of ctx.workspace.excluded) {
    if (own.has(pkg.dir)) continue;
    const label = packageLabel(pkg);
    tasks.push({
      kind: "skip",
      id: `${pkg.dir}:excluded`,
      label: `${label} (excluded)`,
      package: label,
      reason: `excluded: ${reason}`,
    });
  }
  const roots = await Promise.all(members.map((m) => installRootOf(ctx, m.dir)));
  return { key: "packages", tasks, installRoots: [...new Set(roots)] };
}
