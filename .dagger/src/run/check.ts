import { findEntry } from "../catalog/catalog.ts";
import { planners } from "../checks/index.ts";
import { loadContext, type CheckContext } from "../checks/context.ts";
import { scriptTask } from "../checks/scripts.ts";
import { InputError } from "../errors.ts";
import type { Pool } from "../plan/pool.ts";
import type { CheckReport, CiReport } from "../plan/result.ts";
import { runGraph, type Observer } from "../plan/schedule.ts";
import type { CheckPlan } from "../plan/task.ts";
import { installRootOf } from "../checks/context.ts";
import type { Executor } from "./executor.ts";

export async function planCheck(key: string, ctx: CheckContext): Promise<CheckPlan> {
  const planner = planners[key];
  if (!planner) {
    throw new InputError(`unknown check "${key}"; known: ${Object.keys(planners).join(", ")}, ci`);
  }
  return planner(ctx);
}

/** Plans one check and runs it; the report carries every task's result. */
export async function runCheck(
  key: string,
  executor: Executor,
  pool: Pool,
  observer?: Observer,
  ctx?: CheckContext,
): Promise<CheckReport> {
  const started = performance.now();
  const plan = await planCheck(key, ctx ?? (await loadContext(executor.view)));
  const tasks = await runGraph(plan.tasks, (task) => executor.runTask(task, plan), pool, observer);
  return {
    key,
    label: findEntry(key)?.label ?? key,
    status: tasks.some((t) => t.status === "failed") ? "failed" : "passed",
    durationMs: performance.now() - started,
    tasks,
  };
}

/**
 * The five checks concurrently on one shared pool, then the workspace build (`bun run build` at
 * the root). The build runs even when a check failed, so one run shows every problem.
 */
export async function runCi(executor: Executor, pool: Pool, observer?: Observer): Promise<CiReport> {
  const started = performance.now();
  const ctx = await loadContext(executor.view);
  const entry = findEntry("ci");
  const keys = entry?.kind === "aggregate" ? entry.dependsOn : [];
  const checks = await Promise.all(keys.map((key) => runCheck(key, executor, pool, observer, ctx)));
  const root = { dir: ".", manifestPath: "package.json", manifest: ctx.workspace.root };
  const buildPlan: CheckPlan = {
    key: "ci",
    tasks: [scriptTask(ctx, root, "build", { id: "workspace-build" })],
    installRoots: [await installRootOf(ctx, ".")],
  };
  const [build] = await runGraph(buildPlan.tasks, (t) => executor.runTask(t, buildPlan), pool, observer);
  if (!build) throw new Error("the workspace build produced no result");
  const failed = checks.some((c) => c.status === "failed") || build.status === "failed";
  return {
    key: "ci",
    status: failed ? "failed" : "passed",
    durationMs: performance.now() - started,
    checks,
    build,
  };
}
