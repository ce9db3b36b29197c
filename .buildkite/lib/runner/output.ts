import { jsonEvent } from "../../../.dagger/src/text/printable.ts";
import type { Job } from "./plan.ts";
import type { JobRecord } from "./scheduler.ts";

/** Where the run shows itself while it happens. Logs go to files regardless. */
export interface OutputSink {
  start(record: JobRecord): void;
  line(job: Job, text: string): void;
  retry(record: JobRecord, exitStatus: number | null): void;
  finish(record: JobRecord): void;
  close(): void;
}

/** How much text is held before it goes out without waiting for the turn to end. */
const HELD_BYTES = 64 * 1024;
/** How much may wait in the stream's own buffer before readers of jobs' output pause. */
const QUEUED_BYTES = 1024 * 1024;

/**
 * Text written within one turn of the event loop goes out in one write: with many short jobs,
 * their start and end lines would otherwise cost a system call each. `flush` sends what is held.
 * Memory stays bounded however much the jobs print: past HELD_BYTES the text goes out at once,
 * and `room()` lets a reader of a job's output wait while the stream (a slow pipe) is behind.
 */
export class BatchedWriter {
  private held: string[] = [];
  private heldBytes = 0;
  private scheduled = false;

  /** The stream said its buffer is full (write returned false) and has not drained since. */
  private full = false;

  /**
   * `out` returns what the stream's write returned: false once its buffer is full. Bun's stdout
   * says so only that way (its writableLength stays 0 on a pipe), so both are read.
   */
  constructor(
    private readonly out: (text: string) => boolean,
    private readonly stream?: NodeJS.WritableStream & { writableLength?: number },
  ) {
    // A drain may come before anyone waits for room: it is remembered, never missed.
    stream?.on("drain", () => {
      this.full = false;
    });
  }

  readonly write = (text: string): void => {
    this.held.push(text);
    this.heldBytes += text.length;
    if (this.heldBytes >= HELD_BYTES) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  };

  readonly flush = (): void => {
    this.scheduled = false;
    if (!this.held.length) return;
    const text = this.held.join("");
    this.held = [];
    this.heldBytes = 0;
    if (!this.out(text)) this.full = true;
  };

  /** Resolves once the stream has room: drained after a full write, and under QUEUED_BYTES. */
  room(): Promise<void> {
    const stream = this.stream;
    if (!stream || (!this.full && (stream.writableLength ?? 0) < QUEUED_BYTES)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        stream.off("error", done);
        resolve();
      };
      stream.once("drain", done);
      stream.once("close", done);
      stream.once("error", done);
    });
  }
}

const ICON: Record<string, string> = {
  passed: "✔",
  soft_failed: "⚠",
  failed: "✘",
  timed_out: "⏱",
  broken: "⛓",
  skipped: "-",
  canceled: "⊘",
};

const elapsed = (r: JobRecord) =>
  (((r.finishedAt ?? new Date()).getTime() - (r.startedAt?.getTime() ?? Date.now())) / 1000).toFixed(1);

export function finishLine(r: JobRecord): string {
  return `${ICON[r.state ?? ""] ?? "?"} ${r.job.label}: ${r.state}${r.startedAt ? ` in ${elapsed(r)}s` : ""}${r.detail ? ` (${r.detail})` : ""}`;
}

/** Off a TTY: every output line prefixed with its job's label, plus start and end lines. */
export class PrefixedOutput implements OutputSink {
  constructor(private readonly write: (text: string) => void) {}
  start(r: JobRecord): void {
    this.write(`[${r.job.label}] started${r.retries ? ` (retry ${r.retries})` : ""}\n`);
  }
  line(job: Job, text: string): void {
    this.write(`[${job.label}] ${text}\n`);
  }
  retry(r: JobRecord, exitStatus: number | null): void {
    this.write(`[${r.job.label}] exited ${exitStatus}; retrying (${r.retries})\n`);
  }
  finish(r: JobRecord): void {
    this.write(`${finishLine(r)}\n`);
  }
  close(): void {}
}

/**
 * `--log-format json`: one JSON object per line and per event (a job started, printed a line,
 * was retried, finished), with a timestamp and durations, for log pipelines.
 */
export class JsonOutput implements OutputSink {
  constructor(private readonly write: (text: string) => void) {}
  private emit(event: Record<string, unknown>): void {
    this.write(jsonEvent(event));
  }
  start(r: JobRecord): void {
    this.emit({
      event: "job_started",
      job: r.job.id,
      step_key: r.job.key,
      label: r.job.label,
      retry: r.retries,
    });
  }
  line(job: Job, text: string): void {
    this.emit({ event: "output", job: job.id, label: job.label, text });
  }
  retry(r: JobRecord, exitStatus: number | null): void {
    this.emit({
      event: "job_retry",
      job: r.job.id,
      label: r.job.label,
      exit_status: exitStatus,
      retry: r.retries,
    });
  }
  finish(r: JobRecord): void {
    const duration = r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null;
    this.emit({
      event: "job_finished",
      job: r.job.id,
      step_key: r.job.key,
      label: r.job.label,
      state: r.state,
      exit_status: r.exitStatus,
      retries: r.retries,
      duration_ms: duration,
      detail: r.detail,
    });
  }
  close(): void {}
}

/** On a TTY: finished jobs scroll by, and below them one line per running job with its time. */
export class LiveOutput implements OutputSink {
  private readonly running = new Map<string, JobRecord>();
  private drawn = 0;
  private readonly timer = setInterval(() => this.redraw(), 250);

  /**
   * `write` shows text (the caller redacts it and strips its control sequences); `cursor` takes
   * only this class's own cursor moves, which must reach the terminal as they are.
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly cursor: (text: string) => void,
  ) {}

  private redraw(above = ""): void {
    if (this.drawn) this.cursor(`\x1b[${this.drawn}A\x1b[J`);
    const lines = [...this.running.values()].map((r) => `  ⏳ ${r.job.label}  ${elapsed(r)}s`);
    this.write(`${above}${lines.map((l) => `${l}\n`).join("")}`);
    this.drawn = lines.length;
  }
  start(r: JobRecord): void {
    this.running.set(r.job.id, r);
    this.redraw();
  }
  line(): void {
    // The full output is in the job's log file; the terminal shows status only.
  }
  retry(r: JobRecord, exitStatus: number | null): void {
    this.redraw(`↻ ${r.job.label}: exited ${exitStatus}, retry ${r.retries}\n`);
  }
  finish(r: JobRecord): void {
    this.running.delete(r.job.id);
    this.redraw(`${finishLine(r)}\n`);
  }
  close(): void {
    clearInterval(this.timer);
    this.redraw();
  }
}
