#!/usr/bin/env bun
// `bun run check <key>`: one catalog check (or ci) on the host, with the same plan Dagger runs.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { checks, findEntry } from "../src/catalog/catalog.ts";
import { loadContext } from "../src/checks/context.ts";
import { countSuppressions, renderBaseline } from "../src/checks/quality/suppressions.ts";
import { jsonIndentOf } from "../src/text/json-indent.ts";
import { InputError } from "../src/errors.ts";
import { HostExecutor } from "../src/executors/host.ts";
import { Pool } from "../src/plan/pool.ts";
import { cacheDisabledByEnv, cacheSummary } from "../src/cache/host-cache.ts";
import { annotationBody, reportJunit } from "../src/plan/check-reports.ts";
import { renderCheck, renderCi } from "../src/plan/render.ts";
import { cacheEvent, logObserver } from "../src/run/log-events.ts";
import type { CheckReport, CiReport, TaskResult } from "../src/plan/result.ts";
import type { Observer } from "../src/plan/schedule.ts";
import { runCheck, runCi } from "../src/run/check.ts";
import { HostSource } from "../src/source/host.ts";
import { signalExitCode } from "../src/run/process-group.ts";
import { assertWritable, parseCli, main, writeFileAtomic } from "./io.ts";
import { observers, traceObserver } from "./trace-observer.ts";
import { ATTR, startTracing } from "./tracing.ts";

const KEYS = [...checks.map((c) => c.key), "ci"];
const USAGE = `usage: bun run check <${KEYS.join("|")}> [--source DIR] [--json PATH] [--junit PATH] [--no-cache] [--log-format text|json] [--update-baseline]
  --junit PATH        JUnit XML: one test case per task (inside Buildkite, an annotation is posted too)
  --log-format json   one JSON object per event on stderr (task started and finished, check finished)
  --no-cache   run every task (also MONOREPO_CI_CACHE=off); otherwise a passed task whose inputs,
               tools and environment are unchanged is not run again (see the README's host cache)`;

/**
 * Inside a Buildkite job: the check's summary on the build page, one annotation per check
 * (`monorepo-ci-<key>`, replaced on a retry), `success` or `error`. Not being able to post it is
 * a warning: the check's result stands.
 */
function annotate(report: CheckReport | CiReport, label: string): void {
  const r = Bun.spawnSync(
    [
      "buildkite-agent",
      "annotate",
      "--context",
      `monorepo-ci-${report.key}`,
      "--style",
      report.status === "passed" ? "success" : "error",
    ],
    { stdin: new TextEncoder().encode(annotationBody(report, label)), stdout: "ignore", stderr: "pipe" },
  );
  if (r.exitCode !== 0)
    process.stderr.write(`warning: buildkite-agent annotate failed: ${r.stderr.toString().trim()}\n`);
}

await main(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    {
      source: { type: "string", default: "." },
      json: { type: "string" },
      "update-baseline": { type: "boolean", default: false },
      "no-cache": { type: "boolean", default: false },
      "log-format": { type: "string", default: "text" },
      junit: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [key, ...extra] = positionals;
  if (!key || extra.length) throw new InputError(`expected exactly one check key\n${USAGE}`);
  if (!KEYS.includes(key)) throw new InputError(`unknown check "${key}"\n${USAGE}`);
  if (values["update-baseline"] && key !== "quality")
    throw new InputError("--update-baseline goes with the quality check");

  const format = values["log-format"];
  if (format !== "text" && format !== "json")
    throw new InputError(`--log-format ${format}: expected text or json\n${USAGE}`);
  const tracing = await startTracing(`bun run check ${key}`, { [ATTR.check]: key });
  const logs = logObserver(format, (line) => process.stderr.write(line));
  const live = tracing ? observers(logs, traceObserver(tracing, key)) : logs;
  if (values.json) assertWritable(values.json, "--json");
  if (values.junit) assertWritable(values.junit, "--junit");
  const view = new HostSource(values.source);
  const executor = new HostExecutor(view, {
    cache: !values["no-cache"] && !cacheDisabledByEnv(process.env),
  });
  const pool = new Pool(availableParallelism());
  if (values["update-baseline"]) {
    const ctx = await loadContext(view);
    const file = join(view.root, ctx.config.qualityBaseline);
    // A fresh repository has no .ci/ yet: the baseline's folder is made, not assumed.
    try {
      mkdirSync(dirname(file), { recursive: true });
      const existing = existsSync(file) ? readFileSync(file, "utf8") : undefined;
      writeFileAtomic(file, renderBaseline(await countSuppressions(ctx), jsonIndentOf(existing)));
    } catch (cause) {
      throw new InputError(
        `qualityBaseline: cannot write ${ctx.config.qualityBaseline} (${(cause as NodeJS.ErrnoException).code ?? cause})`,
        { cause },
      );
    }
    process.stderr.write(`wrote ${file}\n`);
  }

  // Whatever ends this run early (a signal, the check's bound, a crash), no task outlives it.
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    signal ??= s;
    process.stderr.write(`${s}: stopping every task\n`);
    executor.cancel(`canceled by ${s}`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", () => executor.processes.killNow());
  const minutes = findEntry(key)?.timeoutMinutes;
  const bound = minutes
    ? setTimeout(() => executor.cancel(`the check's ${minutes} min bound ran out`), minutes * 60_000)
    : undefined;
  bound?.unref();

  const finished: TaskResult[] = [];
  const observer: Observer = {
    ...live,
    onFinish: (r, check) => (finished.push(r), live.onFinish?.(r, check)),
  };
  let report: CheckReport | CiReport;
  try {
    report =
      key === "ci" ? await runCi(executor, pool, observer) : await runCheck(key, executor, pool, observer);
  } catch (error) {
    if (error instanceof InputError) throw error;
    // A crash of ours: stop everything, and still leave the report of what had finished.
    executor.cancel("canceled: monorepo-ci itself failed");
    const partial: CheckReport = {
      key,
      label: findEntry(key)?.label ?? key,
      status: "canceled",
      durationMs: 0,
      tasks: finished,
    };
    process.stdout.write(`\n${renderCheck(partial)}`);
    if (values.json) writeFileAtomic(values.json, `${JSON.stringify(partial, null, 2)}\n`);
    throw error;
  } finally {
    clearTimeout(bound);
  }
  const stats = await executor.saveCache();
  if (tracing) {
    tracing.root.setAttribute(ATTR.status, signal ? "canceled" : report.status);
    if (report.status !== "passed") tracing.fail(tracing.root, `${key} ${report.status}`);
    await tracing.end();
  }
  if (stats) process.stderr.write(format === "json" ? cacheEvent(stats) : `${cacheSummary(stats)}\n`);
  if (signal) report = { ...report, status: "canceled" };
  const text =
    report.key === "ci" && "checks" in report ? renderCi(report) : renderCheck(report as CheckReport);
  process.stdout.write(`\n${text}`);
  if (values.json) writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`);
  if (values.junit) writeFileAtomic(values.junit, reportJunit(report));
  if (process.env.BUILDKITE === "true") annotate(report, findEntry(key)?.label ?? key);
  if (signal) return signalExitCode(signal);
  return report.status === "passed" ? 0 : 1;
});
