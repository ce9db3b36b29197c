import type { TaskResult } from "../plan/result.ts";
import type { CheckPlan, Task } from "../plan/task.ts";
import type { SourceView } from "../source/view.ts";
import type { MonorepoConfig } from "../config/schema.ts";

/** Where tasks run: the host's processes, or containers on a Dagger engine. */
export interface Executor {
  readonly view: SourceView;
  /** The plan of a check key, or of "ci" (see planFor); bad input throws InputError. */
  plan(key: string): Promise<CheckPlan>;
  /** The source's monorepo-ci.json, for what runs at all (ci runs only the configured checks). */
  config(): Promise<MonorepoConfig>;
  /** Runs one task of `plan`. A task that fails is a result; only broken infrastructure throws. */
  runTask(task: Task, plan: CheckPlan): Promise<TaskResult>;
}

type Outcome = Pick<TaskResult, "status" | "exitCode" | "detail" | "output">;

/** A task's result: its identity from the plan, its duration since `started` (null: it never ran). */
export function taskResult(task: Task, started: number | null, outcome: Outcome): TaskResult {
  return {
    id: task.id,
    label: task.label,
    package: task.package,
    column: task.column,
    durationMs: started === null ? 0 : performance.now() - started,
    ...outcome,
  };
}

/** Shared by both executors so a skip reads the same everywhere. */
export function skipResult(task: Task, detail: string): TaskResult {
  return taskResult(task, null, { status: "skipped", exitCode: null, detail, output: "" });
}
