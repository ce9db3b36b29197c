export type TaskStatus = "passed" | "failed" | "skipped";

export type TaskResult = {
  id: string;
  label: string;
  package?: string;
  column?: string;
  status: TaskStatus;
  durationMs: number;
  exitCode: number | null;
  /** One line: why it failed or was skipped, or a note on a pass. */
  detail: string;
  /** What the task printed (for a failure, the executor keeps the tail). */
  output: string;
  /** A host cache hit: it did not run; durationMs is how long it took when it did. */
  cached?: boolean;
  /** Where the hit came from: this machine's cache, or the remote one (then kept here). */
  cacheTier?: "local" | "remote";
  /** A test task's coverage, in percent (bun's "All files" row). */
  coverage?: { lines: number; functions: number };
};

/** "canceled": stopped by a signal before it finished; the report holds what ran until then. */
export type RunStatus = "passed" | "failed" | "canceled";

export type CheckReport = {
  key: string;
  label: string;
  status: RunStatus;
  durationMs: number;
  tasks: TaskResult[];
};

export type CiReport = {
  key: "ci";
  status: RunStatus;
  durationMs: number;
  checks: CheckReport[];
  build: TaskResult;
  /** Checks monorepo-ci.json leaves out (mobile or birmel): not run, and said so. */
  notConfigured: string[];
};

/** Longer lines are cut in reports: one minified bundle or 50 MB line must not flood them. */
export const MAX_LINE = 2000;

const capLine = (line: string) =>
  line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)}… (${line.length - MAX_LINE} more characters)`;

/** The last `lines` lines, each capped at MAX_LINE: enough to see the error, never a flood. */
export function tail(text: string, lines = 40): string {
  const all = text.replace(/\s+$/, "").split("\n").map(capLine);
  return all.length <= lines ? all.join("\n") : ["…", ...all.slice(-lines)].join("\n");
}
