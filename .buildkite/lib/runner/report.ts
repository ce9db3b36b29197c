import { existsSync, readFileSync } from "node:fs";
import { escapeMarkup, junitXml } from "../../../.dagger/src/plan/junit.ts";
import { table } from "../../../.dagger/src/plan/render.ts";
import type { Annotation } from "./agent/store.ts";
import type { JobRecord, JobState } from "./scheduler.ts";

export type JobReport = {
  id: string;
  step_key: string | null;
  label: string;
  state: JobState;
  exit_status: number | null;
  retries: number;
  parallel_job: number | null;
  matrix: Record<string, string> | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  detail: string;
  log: string | null;
};

export type BuildReport = {
  state: "passed" | "failed" | "canceled" | "blocked";
  jobs: JobReport[];
  annotations: { context: string; style: string; body: string }[];
  meta_data: Record<string, string>;
};

export function buildReport(
  state: BuildReport["state"],
  records: JobRecord[],
  /** The job's log file, or null when it printed nothing (no file was made). */
  logOf: (job: string) => string | null,
  annotations: Annotation[],
  metaData: Record<string, string>,
): BuildReport {
  return {
    state,
    jobs: records.map((r) => {
      return {
        id: r.job.id,
        step_key: r.job.key,
        label: r.job.label,
        state: r.state ?? "canceled",
        exit_status: r.exitStatus,
        retries: r.retries,
        parallel_job: r.job.parallel?.index ?? null,
        matrix: r.job.matrix,
        started_at: r.startedAt?.toISOString() ?? null,
        finished_at: r.finishedAt && r.startedAt ? r.finishedAt.toISOString() : null,
        duration_ms: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
        detail: r.detail,
        log: logOf(r.job.id),
      };
    }),
    annotations: annotations.map(({ context, style, body }) => ({ context, style, body })),
    meta_data: metaData,
  };
}

const lastLines = (path: string, n: number) =>
  readFileSync(path, "utf8").replace(/\n$/, "").split("\n").slice(-n).join("\n");

/** Each job's state, duration, retries and exit; failed jobs' last 20 log lines; the annotations. */
export function renderSummary(report: BuildReport): string {
  const rows = report.jobs.map((j) => [
    j.state,
    j.duration_ms === null ? "" : `${(j.duration_ms / 1000).toFixed(1)}s`,
    j.retries ? `${j.retries} retr${j.retries === 1 ? "y" : "ies"}` : "",
    j.exit_status === null ? "" : `exit ${j.exit_status}`,
    j.label,
    j.detail,
  ]);
  const failures = report.jobs
    .filter((j) => (j.state === "failed" || j.state === "timed_out") && j.log)
    .map(
      (j) => `── ${j.label} (${j.state}, last 20 lines of ${j.log}) ──\n${lastLines(j.log as string, 20)}`,
    );
  const notes = report.annotations.map(
    (a) => `── annotation ${a.context} [${a.style}] ──\n${a.body.trimEnd()}`,
  );
  return [`Build ${report.state.toUpperCase()}`, table(rows), ...failures, ...notes].join("\n\n") + "\n";
}

const FAILED_STATES = ["failed", "timed_out", "broken", "canceled"];

/** The build as JUnit: one test case per job, in one suite. */
export function junit(report: BuildReport): string {
  return junitXml([
    {
      name: "buildkite",
      cases: report.jobs.map((j) => ({
        classname: j.step_key ?? "pipeline",
        name: j.label,
        seconds: (j.duration_ms ?? 0) / 1000,
        outcome:
          j.state === "skipped"
            ? { kind: "skipped", message: j.detail }
            : FAILED_STATES.includes(j.state)
              ? {
                  kind: "failed",
                  type: j.state,
                  message: j.detail || j.state,
                  text: j.log && existsSync(j.log) ? lastLines(j.log, 20) : j.detail,
                }
              : { kind: "passed" },
      })),
    },
  ]);
}

const COLOURS: Record<JobState, string> = {
  passed: "#2da44e",
  soft_failed: "#bf8700",
  failed: "#cf222e",
  timed_out: "#8250df",
  broken: "#57606a",
  skipped: "#d0d7de",
  canceled: "#6e7781",
};

/** A waterfall of the run: one bar per job from its start to its end, on a shared time axis. */
export function timeline(report: BuildReport): string {
  const ran = report.jobs.filter((j) => j.started_at && j.finished_at);
  const t0 = Math.min(...ran.map((j) => Date.parse(j.started_at as string)));
  const t1 = Math.max(...ran.map((j) => Date.parse(j.finished_at as string)));
  const span = Math.max(1, t1 - t0);
  const rows = report.jobs.map((j) => {
    const start = j.started_at ? ((Date.parse(j.started_at) - t0) / span) * 100 : 0;
    const width =
      j.started_at && j.finished_at
        ? Math.max(0.3, ((Date.parse(j.finished_at) - Date.parse(j.started_at)) / span) * 100)
        : 0;
    const title = `${j.label}: ${j.state}${j.duration_ms === null ? "" : `, ${(j.duration_ms / 1000).toFixed(2)}s`}${j.retries ? `, ${j.retries} retries` : ""}`;
    return `<div class="row"><div class="name" title="${escapeMarkup(title)}">${escapeMarkup(j.label)}</div><div class="lane"><div class="bar" style="left:${start.toFixed(3)}%;width:${width.toFixed(3)}%;background:${COLOURS[j.state]}" title="${escapeMarkup(title)}"></div></div><div class="state">${j.state}</div></div>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build timeline (${report.state})</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#1f2328}
h1{font-size:16px}.row{display:flex;align-items:center;height:22px}
.name{width:260px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding-right:8px}
.lane{position:relative;flex:1;height:14px;background:#f6f8fa;border-radius:3px}
.bar{position:absolute;top:0;height:14px;border-radius:3px}.state{width:90px;padding-left:8px;color:#57606a}
</style></head><body>
<h1>Build ${escapeMarkup(report.state)}: ${report.jobs.length} jobs over ${(span / 1000).toFixed(2)}s</h1>
${rows.join("\n")}
</body></html>
`;
}

/** The report with every secret replaced: labels, details, annotation bodies, meta-data keys and values. */
export function redactReport(report: BuildReport, redact: (text: string) => string): BuildReport {
  return {
    ...report,
    jobs: report.jobs.map((j) => ({ ...j, label: redact(j.label), detail: redact(j.detail) })),
    annotations: report.annotations.map((a) => ({ ...a, body: redact(a.body) })),
    // Keys too: a secret set as a meta-data key is as printed as one set as a value.
    meta_data: Object.fromEntries(Object.entries(report.meta_data).map(([k, v]) => [redact(k), redact(v)])),
  };
}
