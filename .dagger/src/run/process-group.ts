import { constants } from "node:os";

/** The shell's convention for a run ended by a signal: 128 + its number (130 for SIGINT). */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

/**
 * SIGTERM to a whole process group, then SIGKILL after a grace period, so children that ignore
 * SIGTERM (or run in the background) do not outlive what started them. A group that is already
 * gone is not an error.
 */
export function killProcessGroup(pid: number | undefined, graceMs = 3000): void {
  if (pid === undefined) return;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  send("SIGTERM");
  setTimeout(() => send("SIGKILL"), graceMs).unref();
}
