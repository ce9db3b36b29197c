import { findEntry } from "../catalog/catalog.ts";
import { maskSecrets } from "../checks/quality/detect.ts";
import { planners } from "../checks/index.ts";
import { scriptTask } from "../checks/scripts.ts";
import { InputError } from "../errors.ts";
import type { Pool } from "../plan/pool.ts";
import type { CheckReport, CiReport, TaskResult } from "../plan/result.ts";
import { runGraph, type Observer } from "../plan/schedule.ts";
import type { CheckPlan, Task } from "../plan/task.ts";
import { CONFIG_FILE, isConfigured } from "../config/schema.ts";
import { installRootOf, scriptName, type CheckContext } from "../checks/context.ts";
import type { Executor } from "./executor.ts";

/**
 * The plan for a check key, or for "ci": its own work after the five checks, the workspace build
 * (`bun run build` at the root).
 */
export async function planFor(key: string, ctx: CheckContext): Promise<CheckPlan> {
  if (key === "ci") {
    const root = { dir: ".", manifestPath: "package.json", manifest: ctx.workspace.root };
    // A root without a build script has no workspace build: the packages check built each one.
    const build: Task =
      root.manifest.scripts?.[scriptName(ctx, "build")] === undefined
        ? {
            kind: "skip",
            id: "workspace-build",
            label: "build",
            reason: "the root package.json has no build script; the packages check built each package",
          }
        : scriptTask(ctx, root, "build", { id: "workspace-build" });
    return {
      key: "ci",
      tasks: [build],
      installRoots: [await installRootOf(ctx, ".")],
    };
  }
  const planner = planners[key];
  if (!planner) {
    throw new InputError(`unknown check "${key}"; known: ${Object.keys(planners).join(", ")}, ci`);
  }
  return nothingIsNotAPass(await planner(ctx), ctx);
}

/**
 * A check that planned nothing to run (no task, or only skipped ones: exempt, excluded) checked
 * nothing, which is not a pass: it fails, saying so, unless the config says that is expected
 * (`allowEmpty`), and then it is reported as skipped.
 */
function nothingIsNotAPass(plan: CheckPlan, ctx: CheckContext): CheckPlan {
  if (plan.tasks.some((t) => t.kind !== "skip")) return plan;
  const allowed = (ctx.config.allowEmpty as string[]).includes(plan.key);
  const task: Task = allowed
    ? {
        kind: "skip",
        id: "nothing",
        label: "nothing to check",
        reason: `no task to run; ${CONFIG_FILE} allowEmpty lists ${plan.key}`,
      }
    : {
        kind: "inline",
        id: "nothing",
        label: "nothing to check",
        run: async () => ({
          findings: [
            {
              where: CONFIG_FILE,
              message: `${plan.key} found nothing to check; if that is expected, add "${plan.key}" to allowEmpty`,
            },
          ],
        }),
      };
  return { ...plan, tasks: [...plan.tasks, task] };
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
    // The observer hears which check each task belongs to (ci runs five at once).
    const told: Observer = {
      onStart: (task) => observer?.onStart?.(task, key),
      onFinish: (result) => observer?.onFinish?.(result, key),
    };
    const results = await runGraph(plan.tasks, (task) => executor.runTask(task, plan), pool, told);
    // Every tool's output passes the same masker before any report holds it.
    tasks = await Promise.all(
      results.map(async (t) => ({
        ...t,
        output: await maskSecrets(t.output),
        detail: await maskSecrets(t.detail),
      })),
    );
  } catch (error) {
    if (error instanceof InputError) throw error;
    tasks = [planFailure(key, error)];
  }
  const report: CheckReport = {
    key,
    label: findEntry(key)?.label ?? key,
    status: tasks.some((t) => t.status === "failed") ? "failed" : "passed",
    durationMs: performance.now() - started,
    tasks,
  };
  observer?.onCheckFinish?.(report);
  return report;
}

/**
 * The five checks concurrently on one shared pool, then the workspace build (`bun run build` at
 * the root). The build runs even when a check failed, so one run shows every problem.
 */
export async function runCi(executor: Executor, pool: Pool, observer?: Observer): Promise<CiReport> {
  const started = performance.now();
  const entry = findEntry("ci");
  const config = await executor.config();
  const all = entry?.kind === "aggregate" ? entry.dependsOn : [];
  const keys = all.filter((key) => isConfigured(config, key));
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
    notConfigured: all.filter((key) => !keys.includes(key)),
  };
}
