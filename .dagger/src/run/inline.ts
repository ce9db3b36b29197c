import type { TaskResult } from "../plan/result.ts";
import { taskResult } from "./executor.ts";
import type { InlineTask } from "../plan/task.ts";
import type { SourceView } from "../source/view.ts";

/** Runs one of our own checks in-process: any finding fails it, notes ride along. */
export async function runInline(task: InlineTask, view: SourceView): Promise<TaskResult> {
  const started = performance.now();
  let outcome: Awaited<ReturnType<InlineTask["run"]>>;
  try {
    outcome = await task.run(view);
  } catch (error) {
    // A file the check could not read or parse is that task's failure, with the reason; the
    // other tasks and checks still run and report.
    const message = error instanceof Error ? error.message : String(error);
    return taskResult(task, started, {
      status: "failed",
      exitCode: null,
      detail: message.split("\n")[0] ?? message,
      output: message,
    });
  }
  const { findings, notes = [] } = outcome;
  const lines = [...findings.map((f) => `${f.where}: ${f.message}`), ...notes.map((n) => `note: ${n}`)];
  return taskResult(task, started, {
    status: findings.length ? "failed" : "passed",
    exitCode: null,
    detail: findings.length
      ? `${findings.length} problem${findings.length === 1 ? "" : "s"}: ${findings[0]?.where}${findings.length > 1 ? ", …" : ""}`
      : notes.join("; "),
    output: lines.join("\n"),
  });
}
