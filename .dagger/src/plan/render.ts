import { printable } from "../text/printable.ts";
import { findEntry } from "../catalog/catalog.ts";
import { notConfigured } from "../config/schema.ts";
import {
  tail,
  type CheckReport,
  type CiReport,
  type RunStatus,
  type TaskResult,
  type TaskStatus,
} from "./result.ts";

export const ICON: Record<TaskStatus | RunStatus, string> = {
  passed: "✔",
  failed: "✘",
  skipped: "-",
  canceled: "⊘",
};
const mark = (status: TaskStatus | RunStatus) => `${ICON[status]} ${status}`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** "cached", or "cached remote" for a hit the remote cache served. */
export const cachedWord = (t: Pick<TaskResult, "cacheTier">) =>
  t.cacheTier === "remote" ? "cached remote" : "cached";

/** A task's result as the table shows it: `✔ passed (cached, 2.3s saved)` for a cache hit. */
export const resultOf = (t: TaskResult) =>
  t.cached ? `${mark(t.status)} (${cachedWord(t)}, ${seconds(t.durationMs)} saved)` : mark(t.status);

/**
 * Fixed-width columns; the last column is never padded. Cells are made printable first: a
 * control sequence in a package name would otherwise count towards its column's width.
 */
export function table(shown: string[][]): string {
  const rows = shown.map((r) => r.map(printable));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** An optional check the config leaves out: said, and not a failure. */
export const renderNotConfigured = (key: string) =>
  `${findEntry(key)?.label ?? key}: NOT CONFIGURED (nothing run)\n\n${notConfigured(key)}\n`;

function taskTable(tasks: TaskResult[]): string {
  return table([
    ["task", "result", "duration", "detail"],
    ...tasks.map((t) => [t.label, resultOf(t), seconds(t.durationMs), t.detail]),
  ]);
}

/** The packages check's view: one row per package, one column per script. */
function matrix(tasks: TaskResult[]): string | undefined {
  const cells = tasks.filter((t) => t.package && t.column);
  if (!cells.length) return undefined;
  const packages = [...new Set(cells.map((t) => t.package as string))];
  const columns = [...new Set(cells.map((t) => t.column as string))];
  return table([
    ["package", ...columns],
    ...packages.map((p) => [
      p,
      ...columns.map((c) => {
        const t = cells.find((x) => x.package === p && x.column === c);
        return t ? ICON[t.status] : "";
      }),
    ]),
  ]);
}

export function failureTails(tasks: TaskResult[]): string {
  return tasks
    .filter((t) => t.status === "failed")
    .map((t) => {
      const exit = t.exitCode === null ? "" : ` (exit ${t.exitCode})`;
      return `── ${t.label}${exit} ──\n${tail(t.output) || t.detail}`;
    })
    .join("\n\n");
}

export function renderCheck(report: CheckReport): string {
  const parts = [
    `${report.label}: ${report.status.toUpperCase()} in ${seconds(report.durationMs)}`,
    taskTable(report.tasks),
  ];
  const grid = matrix(report.tasks);
  if (grid) parts.push(grid);
  const failures = failureTails(report.tasks);
  if (failures) parts.push(failures);
  return printable(`${parts.join("\n\n")}\n`);
}

export function renderCi(report: CiReport): string {
  const summary = table([
    ["check", "result", "duration", "failed tasks"],
    ...report.checks.map((c) => [
      c.label,
      mark(c.status),
      seconds(c.durationMs),
      c.tasks
        .filter((t) => t.status === "failed")
        .map((t) => t.label)
        .join(", "),
    ]),
    ["workspace build", resultOf(report.build), seconds(report.build.durationMs), report.build.detail],
  ]);
  const failed = report.checks.filter((c) => c.status === "failed").map(renderCheck);
  const buildFailure = failureTails([report.build]);
  const skipped = report.notConfigured.length
    ? `not run, not configured in monorepo-ci.json: ${report.notConfigured.join(", ")}`
    : "";
  return printable(
    [
      `CI: ${report.status.toUpperCase()} in ${seconds(report.durationMs)}`,
      summary,
      skipped,
      ...failed,
      buildFailure,
    ]
      .filter(Boolean)
      .join("\n\n")
      .concat("\n"),
  );
}
