import { skipResult } from "../run/executor.ts";
import type { Pool } from "./pool.ts";
import type { CheckReport, TaskResult } from "./result.ts";
import type { Task } from "./task.ts";

export type TaskRunner = (task: Task) => Promise<TaskResult>;

/** Told as tasks start and finish; `check` is the check key when a check runs them. */
export type Observer = {
  onStart?(task: Task, check?: string): void;
  onFinish?(result: TaskResult, check?: string): void;
  onCheckFinish?(report: CheckReport): void;
};

/** Throws when a plan is malformed: a planner bug, never the user's input. */
export function assertValidGraph(tasks: Task[]): void {
  const ids = new Set<string>();
  for (const t of tasks) {
    if (ids.has(t.id)) throw new Error(`plan has two tasks with id ${t.id}`);
    ids.add(t.id);
  }
  for (const t of tasks) {
    for (const need of t.needs ?? []) {
      if (!ids.has(need)) throw new Error(`task ${t.id} needs unknown task ${need}`);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") throw new Error(`plan has a cycle: ${[...path, id].join(" → ")}`);
    state.set(id, "visiting");
    for (const need of byId.get(id)?.needs ?? []) visit(need, [...path, id]);
    state.set(id, "done");
  };
  for (const t of tasks) visit(t.id, []);
}

/**
 * Runs every task as soon as the tasks it needs have passed, bounded by the pool. A task whose
 * need failed or was skipped is skipped with the reason; nothing else stops: every problem is
 * reported, not just the first. Results come back in plan order.
 */
export async function runGraph(
  tasks: Task[],
  run: TaskRunner,
  pool: Pool,
  observer: Observer = {},
): Promise<TaskResult[]> {
  assertValidGraph(tasks);
  const results = new Map<string, Promise<TaskResult>>();
  const start = (task: Task): Promise<TaskResult> => {
    const existing = results.get(task.id);
    if (existing) return existing;
    const promise = (async () => {
      const needs = await Promise.all(
        (task.needs ?? []).map((id) => start(tasks.find((t) => t.id === id) as Task)),
      );
      const blocker = needs.find((r) => r.status !== "passed");
      const result = blocker
        ? skipResult(task, `not run: ${blocker.label} ${blocker.status}`)
        : await pool.run(async () => {
            observer.onStart?.(task);
            return run(task);
          });
      observer.onFinish?.(result);
      return result;
    })();
    results.set(task.id, promise);
    return promise;
  };
  return Promise.all(tasks.map(start));
}

/** The wanted tasks and every task they need, transitively, in plan order: what must run first. */
export function withNeeds(tasks: Task[], wanted: Task[]): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const keep = new Set<string>();
  const add = (t: Task) => {
    if (keep.has(t.id)) return;
    keep.add(t.id);
    for (const n of t.needs ?? []) {
      const need = byId.get(n);
      if (need) add(need);
    }
  };
  wanted.forEach(add);
  return tasks.filter((t) => keep.has(t.id));
}
