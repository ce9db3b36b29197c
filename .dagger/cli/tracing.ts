import type { Attributes, Span } from "@opentelemetry/api";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * OpenTelemetry traces of host runs (checks, ci, the local runner), exported over OTLP/HTTP.
 * On when the standard OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set, and then the
 * SDK is loaded; off, at no cost, otherwise. The root span's parent comes from TRACEPARENT (and
 * TRACESTATE), so a run nests under the Buildkite or Dagger trace that started it, and
 * OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME are honoured. Kept out of the module's `src/`:
 * the engine never loads it.
 */
export type Tracing = {
  readonly root: Span;
  child(parent: Span, name: string, attributes?: Attributes): Span;
  /** Marks a span failed, with why. */
  fail(span: Span, message: string): void;
  /** Ends the root span and sends everything; an unreachable collector is not our failure. */
  end(): Promise<void>;
};

const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "package.json"), "utf8")) as { version?: string }
).version;

export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (/^true$/i.test(env.OTEL_SDK_DISABLED ?? "")) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export async function startTracing(name: string, attributes: Attributes): Promise<Tracing | undefined> {
  if (!tracingWanted()) return undefined;
  const [api, core, resources, sdk, otlp] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
  ]);
  const revision = Bun.spawnSync(["git", "rev-parse", "HEAD"], { stderr: "ignore" }).stdout.toString().trim();
  // Ours first, then what OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME say, which win.
  const resource = resources
    .resourceFromAttributes({
      "service.name": "monorepo-ci",
      ...(VERSION && { "service.version": VERSION }),
      ...(revision && { "vcs.ref.head.revision": revision }),
    })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.TracerProvider({
    resource,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new otlp.OTLPTraceExporter() })],
  });
  const tracer = provider.getTracer("monorepo-ci", VERSION);
  const carrier = { traceparent: process.env.TRACEPARENT ?? "", tracestate: process.env.TRACESTATE ?? "" };
  const parent = carrier.traceparent
    ? new core.W3CTraceContextPropagator().extract(api.ROOT_CONTEXT, carrier, api.defaultTextMapGetter)
    : api.ROOT_CONTEXT;
  const root = tracer.startSpan(name, { attributes }, parent);
  return {
    root,
    child: (of, childName, attrs) =>
      tracer.startSpan(childName, { attributes: attrs }, api.trace.setSpan(api.ROOT_CONTEXT, of)),
    fail: (span, message) => span.setStatus({ code: api.SpanStatusCode.ERROR, message }),
    end: async () => {
      root.end();
      try {
        await provider.forceFlush();
        await provider.shutdown();
      } catch (error) {
        process.stderr.write(`warning: could not send the trace: ${exportFailure(error)}\n`);
      }
    },
  };
}

/**
 * Why an export failed, whatever the exporter rejected with: an Error, a list of them (a flush
 * rejects with every processor's), an ExportResult-like `{ error }`, an error whose cause says it.
 */
export function exportFailure(error: unknown, depth = 0): string {
  if (depth > 4) return "unknown reason";
  if (typeof error === "string" && error) return error;
  if (Array.isArray(error) && error.length) {
    return [...new Set(error.map((e) => exportFailure(e, depth + 1)))].join("; ");
  }
  if (error && typeof error === "object") {
    const e = error as {
      message?: unknown;
      code?: unknown;
      cause?: unknown;
      error?: unknown;
      errors?: unknown;
    };
    const own = typeof e.message === "string" && e.message ? e.message : undefined;
    const code = typeof e.code === "string" || typeof e.code === "number" ? String(e.code) : undefined;
    const inner = e.cause ?? e.error ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
    const deeper = inner === undefined ? undefined : exportFailure(inner, depth + 1);
    // An HTTP failure's status comes as its code ("Bad Request", code 400): both are said.
    const withCode = own && code && !own.includes(code) ? `${own} (${code})` : own;
    const parts = [withCode, deeper && deeper !== "unknown reason" ? deeper : undefined].filter(Boolean);
    if (parts.length) return parts.join(": ");
    if (code) return code;
  }
  return "unknown reason (the exporter gave none)";
}

/** Attributes under one prefix, so they read as ours next to the standard ones. */
export const ATTR = {
  check: "monorepo_ci.check",
  task: "monorepo_ci.task",
  package: "monorepo_ci.package",
  status: "monorepo_ci.status",
  exitCode: "monorepo_ci.exit_code",
  cached: "monorepo_ci.cached",
  cacheTier: "monorepo_ci.cache_tier",
  durationMs: "monorepo_ci.duration_ms",
  retries: "monorepo_ci.retries",
  job: "monorepo_ci.job",
  stepKey: "monorepo_ci.step_key",
} as const;
