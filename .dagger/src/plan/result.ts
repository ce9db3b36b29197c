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
};

export type CheckReport = {
  key: string;
  label: string;
  status: "passed" | "failed";
  durationMs: number;
  tasks: TaskResult[];
};

export type CiReport = {
  key: "ci";
  status: "passed" | "failed";
  durationMs: number;
  checks: CheckReport[];
  build: TaskResult;
};

/** The last `lines` lines: enough to see the error, never truncated to a few characters. */
export function tail(text: string, lines = 40): string {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.length <= lines ? all.join("\n") : ["…", ...all.slice(-lines)].join("\n");
}
