import { findEntry } from "../catalog/catalog.ts";
import { planners } from "../checks/index.ts";
import type { CheckContext } from "../checks/context.ts";
import { scriptTask } from "../checks/scripts.ts";
import { InputError } from "../errors.ts";
import type { Pool } from "../plan/pool.ts";
import type { CheckReport, CiReport, TaskResult } from "../plan/result.ts";
import { runGraph, type Observer } from "../plan/schedule.ts";
import type { CheckPlan } from "../plan/task.ts";
import { installRootOf } from "../checks/context.ts";
import type { Executor } from "./executor.ts";

/**
 * The plan for a check key, or for "ci": its own work after the five checks, the workspace build
 * (`bun run build` at the root).
 */
export async function planFor(key: string, ctx: CheckContext): Promise<CheckPlan> {
  if (key === "ci") {
    const root = { dir: ".", manifestPath: "package.json", manifest: ctx.workspace.root };
    return {
      key: "ci",
      tasks: [scriptTask(ctx, root, "build", { id: "workspace-build" })],
      installRoots: [await installRootOf(ctx, ".")],
    };
  }
  const planner = planners[key];
  if (!planner) {
    throw new InputError(`unknown check "${key}"; known: ${Object.keys(planners).join(", ")}, ci`);
  }
  return planner(ctx);
}

/**
 * Planning that broke for a reason other than bad input (an engine that could not start the
 * planner, say) is one failed task, so the report still says what happened.
 */
function planFailure(key: string, error: unknown): TaskResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    id: "plan",
    label: `plan ${key}`,
    status: "failed",
    durationMs: 0,
    exitCode: null,
    detail: `could not plan: ${message.split("\n")[0]}`,
    output: message,
  };
}

/** Plans one check and runs it; the report carries every task's result. */
export async function runCheck(
  key: string,
  executor: Executor,
  pool: Pool,
  observer?: Observer,
): Promise<CheckReport> {
  const started = performance.now();
  let tasks: TaskResult[];
  try {
    const plan = await executor.plan(key);
    tasks = await runGraph(plan.tasks, (task) => executor.runTask(task, plan), pool, observer);
  } catch (error) {
    if (error instanceof InputError) throw error;
    tasks = [planFailure(key, error)];
  }
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
  const entry = findEntry("ci");
  const keys = entry?.kind === "aggregate" ? entry.dependsOn : [];
  const checks = await Promise.all(keys.map((key) => runCheck(key, executor, pool, observer)));
  const [build] = (await runCheck("ci", executor, pool, observer)).tasks;
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
