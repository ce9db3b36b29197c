import type { Span } from "@opentelemetry/api";
import { ATTR, type Tracing } from "../../../.dagger/cli/tracing.ts";
import type { Job } from "./plan.ts";
import type { SchedulerEvent } from "./scheduler.ts";

/**
 * A build as spans: one per job attempt under the build's root, started and ended by the
 * scheduler's events, with the job's state, exit status and retries. A running job's span is
 * handed to what it runs as TRACEPARENT, so a check inside a job nests under it.
 */
export class JobSpans {
  private readonly spans = new Map<string, Span>();

  constructor(private readonly tracing: Tracing) {}

  onEvent(e: SchedulerEvent): void {
    const { job } = e.record;
    if (e.type === "start") {
      this.spans.set(
        job.id,
        this.tracing.child(this.tracing.root, `job ${job.label}`, {
          [ATTR.job]: job.label,
          [ATTR.retries]: e.record.retries,
          ...(job.key && { [ATTR.stepKey]: job.key }),
        }),
      );
      return;
    }
    const span = this.spans.get(job.id) ?? this.tracing.child(this.tracing.root, `job ${job.label}`);
    this.spans.delete(job.id);
    const state = e.type === "retry" ? "retried" : (e.record.state ?? "canceled");
    const exit = e.type === "retry" ? e.exitStatus : e.record.exitStatus;
    span.setAttributes({
      [ATTR.status]: state,
      [ATTR.retries]: e.record.retries,
      ...(exit !== null && { [ATTR.exitCode]: exit }),
    });
    if (["failed", "timed_out", "broken", "retried"].includes(state))
      this.tracing.fail(span, e.record.detail || state);
    span.end();
  }

  /** TRACEPARENT for a running job's process, or nothing when it has no span. */
  env(job: Job): Record<string, string> {
    const ctx = this.spans.get(job.id)?.spanContext();
    return ctx
      ? { TRACEPARENT: `00-${ctx.traceId}-${ctx.spanId}-${ctx.traceFlags.toString(16).padStart(2, "0")}` }
      : {};
  }
}
