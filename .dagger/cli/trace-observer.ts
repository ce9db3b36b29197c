import type { Span } from "@opentelemetry/api";
import type { Observer } from "../src/plan/schedule.ts";
import { ATTR, type Tracing } from "./tracing.ts";

/**
 * A check run as spans: one per check under the run's root, and one per task under its check,
 * with the check key, package, task, status, exit code and whether it came from the cache.
 */
export function traceObserver(t: Tracing, key: string): Observer {
  const checks = new Map<string, Span>();
  const tasks = new Map<string, Span>();
  const checkSpan = (check: string) => {
    let span = checks.get(check);
    if (!span) {
      span = t.child(t.root, `check ${check}`, { [ATTR.check]: check });
      checks.set(check, span);
    }
    return span;
  };
  return {
    onStart: (task, check = key) => {
      tasks.set(
        `${check}\0${task.id}`,
        t.child(checkSpan(check), `task ${task.label}`, {
          [ATTR.check]: check,
          [ATTR.task]: task.id,
          ...(task.package && { [ATTR.package]: task.package }),
        }),
      );
    },
    onFinish: (r, check = key) => {
      // A task skipped before it started has no span yet: it gets one, so the trace shows it.
      const span = tasks.get(`${check}\0${r.id}`) ?? t.child(checkSpan(check), `task ${r.label}`);
      span.setAttributes({
        [ATTR.check]: check,
        [ATTR.task]: r.id,
        [ATTR.status]: r.status,
        [ATTR.cached]: r.cached === true,
        ...(r.cacheTier && { [ATTR.cacheTier]: r.cacheTier }),
        [ATTR.durationMs]: Math.round(r.durationMs),
        ...(r.package && { [ATTR.package]: r.package }),
        ...(r.exitCode !== null && { [ATTR.exitCode]: r.exitCode }),
      });
      if (r.status === "failed") t.fail(span, r.detail || "failed");
      span.end();
    },
    onCheckFinish: (report) => {
      const span = checkSpan(report.key);
      span.setAttributes({ [ATTR.status]: report.status, [ATTR.durationMs]: Math.round(report.durationMs) });
      if (report.status !== "passed") t.fail(span, `${report.key} ${report.status}`);
      span.end();
    },
  };
}

/** Several observers as one. */
export function observers(...list: Observer[]): Observer {
  return {
    onStart: (task, check) => list.forEach((o) => o.onStart?.(task, check)),
    onFinish: (r, check) => list.forEach((o) => o.onFinish?.(r, check)),
    onCheckFinish: (report) => list.forEach((o) => o.onCheckFinish?.(report)),
  };
}
