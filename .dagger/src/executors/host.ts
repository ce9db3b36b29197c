import { missingTool } from "../run/missing-tool.ts";
import { readFileSync, rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { loadContext, type CheckContext } from "../checks/context.ts";
import { DEFAULT_TASK_TIMEOUT_MINUTES, type MonorepoConfig } from "../config/schema.ts";
import { cacheCapBytes, HostCache, type CacheStats } from "../cache/host-cache.ts";
import { RemoteCache, remoteFor } from "../cache/remote.ts";
import {
  coverageFromLcov,
  judgeCoverage,
  LCOV_FILE,
  type CoverageSummary,
} from "../test-coverage/coverage.ts";
import { tail, type TaskResult } from "../plan/result.ts";
import { binDirs, type CheckPlan, type ExecTask, type SmokeTask, type Task } from "../plan/task.ts";
import { planFor } from "../run/check.ts";
import { skipResult, taskResult, type Executor } from "../run/executor.ts";
import { runInline } from "../run/inline.ts";
import { TaskProcesses, type ProcessEnd } from "../run/task-process.ts";
import type { HostSource } from "../source/host.ts";

const freePort = (): number => {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const { port } = server;
  server.stop(true);
  if (port === undefined) throw new Error("could not reserve a free TCP port for the smoke test");
  return port;
};

/** How a process ended, in words: a signal or code, or why we stopped it. */
const ending = (end: ProcessEnd) => end.stopped ?? `exited ${end.signal ?? end.code}`;

export type HostOptions = {
  /** The task cache (src/cache/): a passed exec task with an unchanged key does not run again. */
  cache?: boolean;
};

/** The coverage of an lcov file, or undefined when there is none or it does not add up. */
function readLcov(path: string): CoverageSummary | undefined {
  try {
    return coverageFromLcov(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** Runs tasks as processes on this machine, with the same argv the Dagger executor uses. */
export class HostExecutor implements Executor {
  private context?: Promise<CheckContext>;
  private cache?: Promise<HostCache | undefined>;
  /** Every running task's processes: `cancel()` stops them all (a signal, the check's deadline). */
  readonly processes = new TaskProcesses();

  constructor(
    readonly view: HostSource,
    private readonly options: HostOptions = {},
  ) {}

  /** The run's cache, made once, after the source is listed; undefined when it is off. */
  private taskCache(): Promise<HostCache | undefined> {
    if (!this.options.cache) return Promise.resolve(undefined);
    this.context ??= loadContext(this.view);
    this.cache ??= Promise.all([this.context, this.view.listFiles()]).then(([ctx, files]) => {
      const remote = remoteFor(ctx.config.cache.remote, process.env);
      const cap = cacheCapBytes(ctx.config);
      return new HostCache(this.view.root, ctx, files, remote && new RemoteCache(remote, cap));
    });
    return this.cache;
  }

  /** What the cache learned about file hashes is kept for the next run; returns its stats. */
  async saveCache(): Promise<CacheStats | undefined> {
    const cache = await this.cache;
    await cache?.save();
    return cache?.stats;
  }

  /** One context for every plan of a run, so `ci` reads the config and workspace once. */
  async plan(key: string): Promise<CheckPlan> {
    this.context ??= loadContext(this.view);
    const plan = await planFor(key, await this.context);
    // With a remote cache, its artifacts for the plan's tasks are fetched ahead, all at once.
    const cache = await this.taskCache();
    await cache?.prefetch(
      plan.tasks.flatMap((t) => (t.kind === "exec" ? [{ task: t, env: { ...this.env(t), ...t.env } }] : [])),
    );
    return plan;
  }

  async config(): Promise<MonorepoConfig> {
    this.context ??= loadContext(this.view);
    return (await this.context).config;
  }

  /** Stops every running task, and every task not yet started reports `reason` instead of running. */
  cancel(reason: string): void {
    this.processes.cancel(reason);
  }

  runTask(task: Task, plan: CheckPlan): Promise<TaskResult> {
    const canceled = this.processes.canceled;
    if (canceled && task.kind !== "skip") {
      return Promise.resolve(
        taskResult(task, null, {
          status: "failed",
          exitCode: null,
          detail: `not run: ${canceled}`,
          output: "",
        }),
      );
    }
    switch (task.kind) {
      case "skip":
        return Promise.resolve(skipResult(task, task.reason));
      case "inline":
        return runInline(task, this.view);
      case "exec":
        return this.exec(task, plan);
      case "smoke":
        return this.smoke(task);
    }
  }

  private env(task: ExecTask | SmokeTask, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const bins = binDirs(task.cwd).map((d) => join(this.view.root, d));
    return { ...process.env, ...extra, PATH: [...bins, process.env.PATH ?? ""].join(delimiter) };
  }

  /** Where a task's whole output goes; the report keeps its tail. Ignored by git and by us. */
  private logFile(plan: CheckPlan, task: Task): string {
    const name = `${plan.key}-${task.id}`.replace(/[^\w.-]+/g, "_");
    return join(this.view.root, "node_modules", ".cache", "monorepo-ci", "logs", `${name}.log`);
  }

  private async exec(task: ExecTask, plan: CheckPlan): Promise<TaskResult> {
    const started = performance.now();
    const env = { ...this.env(task), ...task.env };
    const binary = task.argv[0] ?? "";
    if (!Bun.which(binary, { PATH: env.PATH ?? "" })) {
      if (task.skipIfMissing) return skipResult(task, `skipped (${binary} not installed)`);
      const bins = binDirs(task.cwd).join(", ");
      return taskResult(task, started, {
        status: "failed",
        exitCode: 127,
        ...missingTool(task, `${bins} and the PATH`),
      });
    }
    const cache = await this.taskCache();
    const key = cache?.keyFor(task, env);
    const found = key ? await cache?.lookup(key, task) : undefined;
    if (found) {
      const hit = found.entry;
      // Not run: the stored result, with how long it took when it ran, and its output tail.
      return this.judged(task, {
        ...taskResult(task, null, { status: "passed", exitCode: 0, detail: "", output: hit.output }),
        durationMs: hit.durationMs,
        cached: true,
        cacheTier: found.tier,
        ...(hit.coverage && { coverage: hit.coverage }),
      });
    }
    const cwd = join(this.view.root, task.cwd);
    // The lcov a covered run writes is read afterwards: one from an earlier run must not count.
    if (task.coverage) rmSync(join(cwd, LCOV_FILE), { force: true });
    const logFile = this.logFile(plan, task);
    // A task from a plan is bounded by its config; one without (the review's ESLint) by the default.
    const minutes = this.context
      ? (await this.context).config.taskTimeoutMinutes
      : DEFAULT_TASK_TIMEOUT_MINUTES;
    const timeoutMs = minutes * 60_000;
    const end = await this.processes.run(task.argv, { cwd, env, timeoutMs, logFile }).done;
    if (end.error) {
      return taskResult(task, started, {
        status: "failed",
        exitCode: null,
        detail: `could not start ${binary} in ${task.cwd}: ${end.error.message}`,
        output: end.output,
      });
    }
    const passed = end.code === 0 && !end.stopped;
    const result = taskResult(task, started, {
      status: passed ? "passed" : "failed",
      exitCode: end.code ?? 128,
      detail: passed ? "" : `${task.argv.join(" ")} ${ending(end)} in ${task.cwd}`,
      output: end.output,
    });
    const coverage = task.coverage ? readLcov(join(cwd, LCOV_FILE)) : undefined;
    // Only a pass is kept: a failure always runs again. Coverage is judged on every run, so a
    // raised minimum applies to a cached pass too.
    if (passed && key) cache?.remember(key, task, result.durationMs, end.output, coverage);
    return this.judged(task, { ...result, ...(coverage && { coverage }) });
  }

  /** A test task's result judged by coverage.minimum; any other task's as it is. */
  private async judged(task: ExecTask, result: TaskResult): Promise<TaskResult> {
    if (!task.coverage && !task.coverageUnmeasured) return result;
    const config = await this.config();
    const pkg = task.package ?? task.cwd;
    return judgeCoverage(result, result.coverage, pkg, config.coverage, task.coverageUnmeasured);
  }

  /**
   * Starts the service on a free port (PORT), polls its health endpoint until a 2xx, a crash or
   * the deadline, then stops it and everything it started. The reason is decided before the
   * stop, so a service that never answered is not reported as killed.
   */
  private async smoke(task: SmokeTask): Promise<TaskResult> {
    const started = performance.now();
    const port = freePort();
    const url = `http://127.0.0.1:${port}${task.healthPath}`;
    const service = this.processes.run(task.start, {
      cwd: join(this.view.root, task.cwd),
      env: this.env(task, { PORT: String(port) }),
    });
    let exited: ProcessEnd | undefined;
    void service.done.then((e) => (exited = e));
    const deadline = Date.now() + task.timeoutSeconds * 1000;
    let last = "no answer yet";
    let answered: number | undefined;
    while (Date.now() < deadline && !exited && answered === undefined) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.ok) answered = res.status;
        else last = `HTTP ${res.status}`;
      } catch (error) {
        last = (error as Error).name === "TimeoutError" ? "no response within 2s" : (error as Error).message;
      }
      if (answered === undefined && !exited) await Bun.sleep(200);
    }
    const crashed = exited;
    const canceled = this.processes.canceled;
    service.stop(canceled ?? "smoke test over");
    const end = await service.done;
    if (answered !== undefined) {
      return taskResult(task, started, {
        status: "passed",
        exitCode: null,
        detail: `GET ${task.healthPath} → ${answered}`,
        output: end.output,
      });
    }
    const why = canceled
      ? `not finished: ${canceled}`
      : crashed
        ? `the service ${crashed.error ? `could not start: ${crashed.error.message}` : `exited (${crashed.signal ?? crashed.code})`} before GET ${task.healthPath} answered 2xx`
        : `GET ${task.healthPath} gave no 2xx within ${task.timeoutSeconds}s (last: ${last})`;
    return taskResult(task, started, {
      status: "failed",
      exitCode: crashed?.code ?? null,
      detail: why,
      output: `${why}\n--- service output ---\n${tail(end.output)}`,
    });
  }
}
