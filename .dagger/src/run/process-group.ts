import { readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";

/** The shell's convention for a run ended by a signal: 128 + its number (130 for SIGINT). */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

const send = (target: number, signal: NodeJS.Signals) => {
  try {
    process.kill(target, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
};

/**
 * SIGTERM to a whole process group, then SIGKILL after a grace period, so children that ignore
 * SIGTERM (or run in the background) do not outlive what started them. A group that is already
 * gone is not an error.
 */
export function killProcessGroup(pid: number | undefined, graceMs = 3000): void {
  if (pid === undefined) return;
  send(-pid, "SIGTERM");
  setTimeout(() => send(-pid, "SIGKILL"), graceMs).unref();
}

/**
 * Every process whose environment holds `name=value`: what a command started, even what left
 * its process group (`setsid`, `nohup … &`, a daemon) but kept the environment. Linux only;
 * elsewhere, none.
 */
export function markedProcesses(name: string, value: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const needle = `${name}=${value}\0`;
  return pids.flatMap((p) => {
    try {
      return readFileSync(`/proc/${p}/environ`, "latin1").includes(needle) ? [Number(p)] : [];
    } catch {
      return []; // gone already, or not ours to read
    }
  });
}

/**
 * A command's whole session ended: SIGTERM (or SIGKILL at once with `now`) to its process group
 * and to every process marked with its variable, then SIGKILL to what is left after the grace.
 */
export function killSession(
  pgid: number | undefined,
  mark: { name: string; value: string },
  opts: { graceMs?: number; now?: boolean } = {},
): void {
  const targets = () => [
    ...(pgid ? [-pgid] : []),
    ...markedProcesses(mark.name, mark.value).filter((p) => p !== process.pid),
  ];
  if (opts.now) return targets().forEach((t) => send(t, "SIGKILL"));
  targets().forEach((t) => send(t, "SIGTERM"));
  setTimeout(() => targets().forEach((t) => send(t, "SIGKILL")), opts.graceMs ?? 3000).unref();
}
