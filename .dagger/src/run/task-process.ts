import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { OutputTail } from "./output-tail.ts";
import { killSession } from "./process-group.ts";

/** How long a task's pipes may stay open after its process exited (a background grandchild). */
export const EXIT_GRACE_MS = 2000;
/** Between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 3000;
/** Every process a task starts inherits this variable, which is how leftovers are found. */
export const TASK_COOKIE = "MONOREPO_CI_TASK";

export type ProcessEnd = {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Could not start (no such binary, no such directory). */
  error?: Error;
  /** Why we stopped it (a timeout, a cancel), when we did. */
  stopped?: string;
  output: string;
};

/** The group and every process with this task's cookie: what a task leaves behind is ended too. */
const killAll = (pgid: number | undefined, cookie: string, now = false) =>
  killSession(pgid, { name: TASK_COOKIE, value: cookie }, { graceMs: KILL_GRACE_MS, now });

/** Processes of tasks still running, so a signal or a crash can stop every one of them. */
export class TaskProcesses {
  private readonly live = new Map<string, (reason: string) => void>();
  private readonly groups = new Map<string, number | undefined>();
  canceled?: string;

  /** Stops every running task and refuses new ones; each reports `reason`. */
  cancel(reason: string): void {
    this.canceled ??= reason;
    for (const stop of this.live.values()) stop(reason);
  }

  /** For process exit: no time for grace, SIGKILL to everything still running. */
  killNow(): void {
    for (const [cookie, pgid] of this.groups) killAll(pgid, cookie, true);
  }

  /**
   * Runs argv in its own process group. It ends when the process exits and its pipes close,
   * or EXIT_GRACE_MS after the exit, whatever grandchildren still hold the pipes; then whatever
   * the task left running is stopped. `timeoutMs` bounds the whole run.
   */
  run(
    argv: string[],
    opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; logFile?: string },
  ): { pid: number | undefined; stop: (reason: string) => void; done: Promise<ProcessEnd> } {
    const cookie = randomUUID();
    const output = new OutputTail(opts.logFile);
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...opts.env, [TASK_COOKIE]: cookie },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.groups.set(cookie, child.pid);
    let stopped: string | undefined;
    const stop = (reason: string) => {
      stopped ??= reason;
      killAll(child.pid, cookie);
    };
    child.stdout?.on("data", (b: Buffer) => output.push(b));
    child.stderr?.on("data", (b: Buffer) => output.push(b));
    const done = new Promise<ProcessEnd>((resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let grace: ReturnType<typeof setTimeout> | undefined;
      const timer = opts.timeoutMs
        ? setTimeout(() => stop(`timed out after ${opts.timeoutMs! / 1000}s`), opts.timeoutMs)
        : undefined;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        child.stdout?.destroy();
        child.stderr?.destroy();
        // Whatever the task left behind goes with it.
        if (!error) killAll(child.pid, cookie);
        this.live.delete(cookie);
        this.groups.delete(cookie);
        output.close();
        resolve({
          code: exit?.code ?? null,
          signal: exit?.signal ?? null,
          error,
          stopped,
          output: output.text(),
        });
      };
      child.once("error", (error) => finish(error));
      child.once("exit", (code, signal) => {
        exit = { code, signal };
        grace = setTimeout(() => finish(), EXIT_GRACE_MS);
      });
      child.once("close", () => finish());
    });
    this.live.set(cookie, stop);
    if (this.canceled) stop(this.canceled);
    return { pid: child.pid, stop, done };
  }
}
