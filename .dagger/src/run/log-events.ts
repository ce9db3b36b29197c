import { cachedWord, ICON, seconds } from "../plan/render.ts";
import { jsonEvent, printable } from "../text/printable.ts";
import type { CheckReport, TaskResult } from "../plan/result.ts";
import type { Observer } from "../plan/schedule.ts";
import type { Task } from "../plan/task.ts";

/**
 * How a host run tells what happens while it happens, on stderr (stdout stays the report):
 * `text`, a line per task start and finish for people; `json` (`--log-format json`), one JSON
 * object per line and per event, with a timestamp and durations, for log pipelines.
 */
export type LogFormat = "text" | "json";

export function logObserver(format: LogFormat, write: (line: string) => void): Observer {
  return format === "json" ? jsonEvents(write) : textLines(write);
}

/** Labels and details come from package names and task output: shown without control sequences. */
function textLines(write: (line: string) => void): Observer {
  const shown = (line: string) => write(printable(line));
  return {
    onStart: (task) => shown(`▶ ${task.label}\n`),
    onFinish: (r) =>
      shown(
        `${ICON[r.status]} ${r.label} ${r.status}${r.cached ? ` (${cachedWord(r)}, ${seconds(r.durationMs)} saved)` : ` ${seconds(r.durationMs)}`}${r.detail ? ` (${r.detail})` : ""}\n`,
      ),
  };
}

function jsonEvents(write: (line: string) => void): Observer {
  const emit = (event: Record<string, unknown>) => write(jsonEvent(event));
  return {
    onStart: (task: Task, check?: string) =>
      emit({ event: "task_started", check: check ?? null, task: task.id, label: task.label }),
    onFinish: (r: TaskResult, check?: string) =>
      emit({
        event: "task_finished",
        check: check ?? null,
        task: r.id,
        label: r.label,
        status: r.status,
        duration_ms: Math.round(r.durationMs),
        cached: r.cached === true,
        ...(r.cacheTier && { cache_tier: r.cacheTier }),
        exit_code: r.exitCode,
        detail: r.detail,
      }),
    onCheckFinish: (report: CheckReport) =>
      emit({
        event: "check_finished",
        check: report.key,
        status: report.status,
        duration_ms: Math.round(report.durationMs),
        tasks: report.tasks.length,
        failed: report.tasks.filter((t) => t.status === "failed").map((t) => t.label),
      }),
  };
}

/** The cache's end-of-run summary as a JSON event. */
export const cacheEvent = (stats: {
  hits: number;
  remoteHits: number;
  misses: number;
  savedMs: number;
  keyMs: number;
  statted: number;
  hashed: number;
  warnings: string[];
}) =>
  jsonEvent({
    event: "cache",
    hits: stats.hits,
    local_hits: stats.hits - stats.remoteHits,
    remote_hits: stats.remoteHits,
    misses: stats.misses,
    saved_ms: Math.round(stats.savedMs),
    key_ms: Math.round(stats.keyMs),
    statted: stats.statted,
    hashed: stats.hashed,
    ...(stats.warnings.length && { warnings: stats.warnings }),
  });
