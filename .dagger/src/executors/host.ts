import { spawn, type ChildProcess } from "node:child_process";
import { delimiter, join } from "node:path";
import { tail, type TaskResult } from "../plan/result.ts";
import { loadContext, type CheckContext } from "../checks/context.ts";
import { binDirs, type CheckPlan, type ExecTask, type SmokeTask, type Task } from "../plan/task.ts";
import { planFor } from "../run/check.ts";
import { skipResult, taskResult, type Executor } from "../run/executor.ts";
import { killProcessGroup } from "../run/process-group.ts";
import { runInline } from "../run/inline.ts";
import type { HostSource } from "../source/host.ts";

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** A child in its own process group, so stopping it also stops what it started. */
function start(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  output: string[],
): { child: ChildProcess; exited: Promise<Exit> } {
  const [cmd, ...args] = argv as [string, ...string[]];
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (b: Buffer) => output.push(b.toString()));
  child.stderr?.on("data", (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<Exit>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, exited };
}

const freePort = (): number => {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const { port } = server;
  server.stop(true);
  if (port === undefined) throw new Error("could not reserve a free TCP port for the smoke test");
  return port;
};

/** Runs tasks as processes on this machine, with the same argv the Dagger executor uses. */
export class HostExecutor implements Executor {
  private context?: Promise<CheckContext>;

  constructor(readonly view: HostSource) {}

  /** One context for every plan of a run, so `ci` reads the config and workspace once. */
  async plan(key: string): Promise<CheckPlan> {
    this.context ??= loadContext(this.view);
    return planFor(key, await this.context);
  }

  runTask(task: Task): Promise<TaskResult> {
    switch (task.kind) {
      case "skip":
        return Promise.resolve(skipResult(task, task.reason));
      case "inline":
        return runInline(task, this.view);
      case "exec":
        return this.exec(task);
      case "smoke":
        return this.smoke(task);
    }
  }

  private env(task: ExecTask | SmokeTask, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const bins = binDirs(task.cwd).map((d) => join(this.view.root, d));
    return { ...process.env, ...extra, PATH: [...bins, process.env.PATH ?? ""].join(delimiter) };
  }

  private async exec(task: ExecTask): Promise<TaskResult> {
    const started = performance.now();
    const env = { ...this.env(task), ...task.env };
    const binary = task.argv[0] ?? "";
    if (!Bun.which(binary, { PATH: env.PATH ?? "" })) {
      if (task.skipIfMissing) return skipResult(task, `skipped (${binary} not installed)`);
      return taskResult(task, started, {
        status: "failed",
        exitCode: 127,
        detail: `${binary}: command not found`,
        output: `${binary} is not on PATH: ${env.PATH}`,
      });
    }
    const output: string[] = [];
    const { exited } = start(task.argv, join(this.view.root, task.cwd), env, output);
    const exit = await exited;
    const text = output.join("");
    if (exit.error)
      throw new Error(`${task.label}: could not start ${binary}: ${exit.error.message}`, {
        cause: exit.error,
      });
    const code = exit.code ?? 128;
    return taskResult(task, started, {
      status: code === 0 ? "passed" : "failed",
      exitCode: code,
      detail: code === 0 ? "" : `${task.argv.join(" ")} exited ${exit.signal ?? code} in ${task.cwd}`,
      output: text,
    });
  }

  /**
   * Starts the service on a free port (PORT), polls its health endpoint until a 2xx, a crash or
   * the deadline, then stops its whole process group.
   */
  private async smoke(task: SmokeTask): Promise<TaskResult> {
    const started = performance.now();
    const port = freePort();
    const url = `http://127.0.0.1:${port}${task.healthPath}`;
    const output: string[] = [];
    const { child, exited } = start(
      task.start,
      join(this.view.root, task.cwd),
      this.env(task, { PORT: String(port) }),
      output,
    );
    let exit: Exit | undefined;
    void exited.then((e) => (exit = e));
    const deadline = Date.now() + task.timeoutSeconds * 1000;
    let last = "no answer yet";
    try {
      while (Date.now() < deadline && !exit) {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
          if (res.ok) {
            return taskResult(task, started, {
              status: "passed",
              exitCode: null,
              detail: `GET ${task.healthPath} → ${res.status}`,
              output: output.join(""),
            });
          }
          last = `HTTP ${res.status}`;
        } catch (error) {
          last = (error as Error).message;
        }
        await Bun.sleep(200);
      }
    } finally {
      killProcessGroup(child.pid);
      await exited;
    }
    const why = exit
      ? `the service exited (${exit.error?.message ?? exit.signal ?? exit.code}) before GET ${task.healthPath} answered 2xx`
      : `GET ${task.healthPath} gave no 2xx within ${task.timeoutSeconds}s (last: ${last})`;
    return taskResult(task, started, {
      status: "failed",
      exitCode: exit?.code ?? null,
      detail: why,
      output: `${why}\n--- service output ---\n${tail(output.join(""))}`,
    });
  }
}
