import { tail, type CheckReport, type CiReport, type TaskResult } from "./result.ts";
import { escapeMarkup, junitXml, type JunitCase } from "./junit.ts";
import { seconds } from "./render.ts";

/**
 * A host run's report in the two forms Buildkite shows next to a step: JUnit XML (one test case
 * per task, `--junit PATH`) and the Markdown of an annotation (a table of tasks, and each failed
 * task's output tail, HTML-escaped). Outputs are already masked for secrets by runCheck.
 */

/** The checks of a report: itself, or ci's five and its build. */
const checksOf = (report: CheckReport | CiReport): CheckReport[] =>
  "checks" in report
    ? [
        ...report.checks,
        {
          key: "ci",
          label: "workspace build",
          status: report.build.status === "failed" ? "failed" : "passed",
          durationMs: report.build.durationMs,
          tasks: [report.build],
        },
      ]
    : [report];

const testCase = (check: string, t: TaskResult): JunitCase => ({
  classname: check,
  name: t.label,
  seconds: t.cached ? 0 : t.durationMs / 1000,
  outcome:
    t.status === "skipped"
      ? { kind: "skipped", message: t.detail || "skipped" }
      : t.status === "failed"
        ? {
            kind: "failed",
            type: t.exitCode === null ? "failed" : `exit ${t.exitCode}`,
            message: t.detail || "failed",
            text: tail(t.output) || t.detail,
          }
        : {
            kind: "passed",
            note: t.cached ? `from the cache (${seconds(t.durationMs)} when it ran)` : undefined,
          },
});

export function reportJunit(report: CheckReport | CiReport): string {
  return junitXml(
    checksOf(report).map((c) => ({ name: c.key, cases: c.tasks.map((t) => testCase(c.key, t)) })),
  );
}

/** Buildkite refuses annotation bodies over 1 MiB; this leaves room for the table. */
export const ANNOTATION_LIMIT = 1024 * 1024 - 16 * 1024;

/** A table cell: no pipe or newline may break the row. */
const cell = (s: string) => escapeMarkup(s).replace(/\|/g, "&#124;").replace(/\n/g, " ");

const icon = (t: TaskResult) =>
  t.status === "failed"
    ? "✘ failed"
    : t.status === "skipped"
      ? "- skipped"
      : t.cached
        ? "✔ cached"
        : "✔ passed";

export function annotationBody(report: CheckReport | CiReport, label: string): string {
  const checks = checksOf(report);
  const head = `### ${escapeMarkup(label)}: ${report.status.toUpperCase()} in ${seconds(report.durationMs)}\n\n`;
  const rows = checks.flatMap((c) =>
    c.tasks.map(
      (t) =>
        `| ${cell(c.label)} | ${cell(t.label)} | ${icon(t)} | ${seconds(t.durationMs)} | ${cell(t.detail)} |`,
    ),
  );
  const table = [
    "| check | task | result | duration | detail |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  let body = `${head}${table}\n`;
  const failed = checks.flatMap((c) => c.tasks.filter((t) => t.status === "failed").map((t) => ({ c, t })));
  for (const [i, { c, t }] of failed.entries()) {
    const exit = t.exitCode === null ? "" : ` (exit ${t.exitCode})`;
    const section = `\n<details><summary>${escapeMarkup(c.label)}: ${escapeMarkup(t.label)}${exit}</summary>\n\n<pre>${escapeMarkup(tail(t.output) || t.detail)}</pre>\n</details>\n`;
    if (Buffer.byteLength(body + section) > ANNOTATION_LIMIT) {
      body += `\n_${failed.length - i} more failed task output(s) left out: the annotation would pass Buildkite's 1 MiB limit; see the step's log._\n`;
      break;
    }
    body += section;
  }
  return body;
}
