import { signalExitCode } from "../../../.dagger/src/run/process-group.ts";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * ^C, SIGTERM or SIGHUP during a release: the handler only records it. Git runs synchronously,
 * so the signal is seen at the next checkpoint between steps, which throws, and the release
 * rolls back like any other failure. (^C from a terminal also reaches git, which stops, and the
 * step fails: the same rollback.)
 */
export function watchSignals() {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => (received ??= signal);
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    get received() {
      return received;
    },
    /** Lets a pending signal's handler run, then throws if one came. */
    async checkpoint(): Promise<void> {
      await new Promise((resolve) => setImmediate(resolve));
      if (received) throw new Interrupted(received);
    },
    /** The shell's convention: 128 + the signal's number. */
    exitCode: () => (received ? signalExitCode(received) : 0),
    stop: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
