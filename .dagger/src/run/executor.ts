import type { TaskResult } from "../plan/result.ts";
import type { CheckPlan, Task } from "../plan/task.ts";
import type { SourceView } from "../source/view.ts";

/** Where tasks run: the host's processes, or containers on a Dagger engine. */
export interface Executor {
  readonly view: SourceView;
  /** Runs one task of `plan`. A task that fails is a result; only broken infrastructure throws. */
  runTask(task: Task, plan: CheckPlan): Promise<TaskResult>;
}

/** Shared by both executors so a skip reads the same everywhere. */
export function skipResult(task: Task, detail: string): TaskResult {
  return {
    id: task.id,
    label: task.label,
    package: task.package,
    column: task.column,
    status: "skipped",
    durationMs: 0,
    exitCode: null,
    detail,
    output: "",
  };
}
