import type { CheckPlan, Task } from "../plan/task.ts";
import { packageLabel, type WorkspacePackage } from "../workspace/discover.ts";
import { assertNoDependencyCycle, directDependencies } from "../workspace/graph.ts";
import { REQUIRED_SCRIPTS } from "./compliance.ts";
import { installRootOf, scriptName, type CheckContext } from "./context.ts";
import { scriptTask } from "./scripts.ts";

/**
 * The scripts that read what the packages they depend on have built (their `dist`, their
 * declarations), so they wait for those builds, as Turborepo's `dependsOn: ["^build"]` does.
 */
const AFTER_DEPENDENCY_BUILDS = new Set(["build", "typecheck", "test"]);

/**
 * A root script that runs the packages' own scripts (`bun run --filter … test`, `pnpm -r build`,
 * `turbo lint`, `nx run-many`, `npm run test --workspaces`): those run here per package already, so running
 * it again would only repeat them. Any other root script is work of its own.
 */
const FANS_OUT =
  /(?:^|\s)(?:--filter(?:=|\s)|-F\s|-r(?:\s|$)|--recursive|--workspaces?(?:\s|$|=)|-ws(?:\s|$))|\bturbo\s+(?!prune|login|logout|link|unlink|gen|telemetry)[\w-]|\bnx\s+(?:run-many|affected)\b|\blerna\s+(?:run|exec)\b/;

/** A root script that is one of the quality check's own tools over the repository: run there. */
const QUALITY_TOOL = /^\s*(eslint|biome|oxlint|prettier|dprint|oxfmt)(?:\s|$)/;

/** The root package's own typecheck, lint, test and build, as tasks like any package's. */
function rootTasks(ctx: CheckContext, tasks: Task[]): Task[] {
  const root: WorkspacePackage = { dir: ".", manifestPath: "package.json", manifest: ctx.workspace.root };
  const label = `${packageLabel(root)} (root)`;
  /** Why a root script is not run here, if it is not: it would only repeat work done elsewhere. */
  const notRun = (script: string, body: string): string | undefined => {
    if (FANS_OUT.test(body)) return `runs the packages' own ${script} scripts, which run here each as a task`;
    const tool = QUALITY_TOOL.exec(body)?.[1];
    return tool ? `runs ${tool}, which the quality check runs over the repository` : undefined;
  };
  return REQUIRED_SCRIPTS.flatMap((script): Task[] => {
    const body = root.manifest.scripts?.[scriptName(ctx, script)];
    if (body === undefined) return [];
    const base = { id: `.:${script}`, label: `${label} ${script}`, package: label, column: script };
    const reason = notRun(script, body);
    if (reason) return [{ kind: "skip", ...base, reason }];
    const task = scriptTask(ctx, root, script, base);
    // The root's build, typecheck and test read what the workspace builds: they come after it.
    if (AFTER_DEPENDENCY_BUILDS.has(script)) {
      task.needs = tasks.filter((t) => t.kind === "exec" && t.column === "build").map((t) => t.id);
    }
    return [task];
  });
}

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
  tasks.push(...rootTasks(ctx, tasks));
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
