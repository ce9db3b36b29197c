// Traces as a collector receives them: a local OTLP/HTTP receiver on 127.0.0.1, the real CLIs
// run as processes with the standard OTEL_* variables, and the spans and their parents checked.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE, REPO } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";

setDefaultTimeout(180_000);

type Attr = { key: string; value: { stringValue?: string; intValue?: number | string; boolValue?: boolean } };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: Attr[] };
type Export = { resourceSpans: { resource: { attributes: Attr[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs argv with tracing pointed at a receiver of ours; returns every span and resource it got. */
async function traced(argv: string[], env: Record<string, string>, cwd = REPO) {
  const exports: Export[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      if (new URL(req.url).pathname === "/v1/traces") exports.push((await req.json()) as Export);
      return Response.json({});
    },
  });
  try {
    const child = Bun.spawn(argv, {
      cwd,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${server.port}`, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const code = await child.exited;
    const spans = exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    const resource = exports[0]?.resourceSpans[0]?.resource.attributes ?? [];
    return { code, spans, resource };
  } finally {
    server.stop(true);
  }
}

const attr = (attrs: Attr[], key: string) => {
  const v = attrs.find((a) => a.key === key)?.value;
  return v?.stringValue ?? v?.boolValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue));
};

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const PARENT = "b7ad6b7169203331";

describe("OpenTelemetry traces", () => {
  test("bun run check ci: one root under TRACEPARENT, a span per check, a span per task under its check", async () => {
    const { code, spans, resource } = await traced(
      ["bun", ".dagger/cli/check.ts", "ci", "--source", EXAMPLE],
      {
        TRACEPARENT: `00-${TRACE}-${PARENT}-01`,
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test",
      },
    );
    expect(code).toBe(0);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([TRACE]));
    const roots = spans.filter((s) => s.parentSpanId === PARENT);
    expect(roots.map((s) => s.name)).toEqual(["bun run check ci"]);
    const root = roots[0] as OtlpSpan;
    const checks = spans.filter((s) => s.parentSpanId === root.spanId);
    expect(checks.map((s) => s.name).sort()).toEqual(
      ["birmel", "ci", "compliance", "mobile", "packages", "quality"].map((k) => `check ${k}`),
    );
    for (const check of checks) {
      const tasks = spans.filter((s) => s.parentSpanId === check.spanId);
      expect(tasks.length).toBeGreaterThan(0);
      for (const t of tasks) {
        expect(attr(t.attributes, "monorepo_ci.check")).toBe(attr(check.attributes, "monorepo_ci.check"));
        expect(attr(t.attributes, "monorepo_ci.status")).toMatch(/^(passed|skipped)$/);
        expect(typeof attr(t.attributes, "monorepo_ci.cached")).toBe("boolean");
      }
    }
    const moneyTest = spans.find((s) => s.name === "task @example/money test") as OtlpSpan;
    expect(attr(moneyTest.attributes, "monorepo_ci.package")).toBe("@example/money");
    expect(attr(resource, "service.name")).toBe("monorepo-ci");
    expect(attr(resource, "deployment.environment")).toBe("test");
    expect(String(attr(resource, "vcs.ref.head.revision"))).toMatch(/^[0-9a-f]{40}$/);
  });

  test("run-pipeline.ts: a span per job under the build's, and a check in a job nests under its job", async () => {
    const dir = tempDir("traces");
    dirs.push(dir);
    writeFileSync(
      join(dir, "pipeline.yml"),
      [
        "steps:",
        "  - label: compliance",
        "    key: compliance",
        `    command: bun ${join(REPO, ".dagger/cli/check.ts")} compliance --source ${EXAMPLE}`,
        "  - label: fails",
        "    command: exit 4",
      ].join("\n"),
    );
    const { code, spans } = await traced(
      ["bun", join(REPO, ".buildkite/run-pipeline.ts"), "pipeline.yml", "--dir", dir],
      {},
      dir,
    );
    expect(code).toBe(1);
    const build = spans.find((s) => s.name === "run-pipeline pipeline.yml") as OtlpSpan;
    expect(build.parentSpanId ?? "").toBe("");
    const jobs = spans.filter((s) => s.parentSpanId === build.spanId);
    expect(jobs.map((s) => s.name).sort()).toEqual(["job compliance", "job fails"]);
    const failed = jobs.find((s) => s.name === "job fails") as OtlpSpan;
    expect(attr(failed.attributes, "monorepo_ci.status")).toBe("failed");
    expect(attr(failed.attributes, "monorepo_ci.exit_code")).toBe(4);
    const job = jobs.find((s) => s.name === "job compliance") as OtlpSpan;
    const check = spans.find((s) => s.name === "bun run check compliance") as OtlpSpan;
    expect(check.parentSpanId).toBe(job.spanId);
    expect(check.traceId).toBe(build.traceId);
  });

  test("a trace that cannot be sent says why, and the check's result stands", async () => {
    const failing = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => new Response("nope", { status: 400 }),
    });
    const closed = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
    const closedPort = closed.port;
    closed.stop(true);
    try {
      for (const [endpoint, reason] of [
        [`http://127.0.0.1:${closedPort}`, "ECONNREFUSED"],
        [`http://127.0.0.1:${failing.port}`, "400"],
      ] as const) {
        // Spawned, not spawnSync: the receiver lives in this process and must keep answering.
        const child = Bun.spawn(
          ["bun", join(REPO, ".dagger/cli/check.ts"), "compliance", "--source", EXAMPLE],
          {
            cwd: REPO,
            env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
            stdout: "ignore",
            stderr: "pipe",
          },
        );
        const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
        expect(code).toBe(0);
        expect(stderr).toMatch(/warning: could not send the trace: .+/);
        expect(stderr).toContain(reason);
        expect(stderr).not.toContain("could not send the trace: undefined");
      }
    } finally {
      failing.stop(true);
    }
  });

  test("without an endpoint nothing is sent and the SDK is never loaded", () => {
    const r = Bun.spawnSync(
      [
        "bun",
        "-e",
        `await import(${JSON.stringify(join(REPO, ".dagger/cli/tracing.ts"))}).then(async (m) => {
           const t = await m.startTracing("x", {});
           const loaded = Object.keys(require.cache).some((k) => k.includes("@opentelemetry"));
           console.log(JSON.stringify({ started: t !== undefined, loaded }));
         })`,
      ],
      {
        cwd: REPO,
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "" },
      },
    );
    expect(JSON.parse(r.stdout.toString())).toEqual({ started: false, loaded: false });
  });
});
