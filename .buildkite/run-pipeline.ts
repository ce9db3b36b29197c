#!/usr/bin/env bun
// Runs a Buildkite pipeline on this machine with Buildkite's semantics: waits, depends_on, groups,
// matrix, parallelism, conditions, concurrency groups, retries, timeouts and dynamic uploads.
// No agent, no account. Usage: see USAGE.
import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseCli, main, writeFileAtomic } from "../.dagger/cli/io.ts";
import { InputError } from "../.dagger/src/errors.ts";
import { git } from "./lib/git.ts";
import { AgentStore } from "./lib/runner/agent/store.ts";
import type { Variables } from "./lib/runner/expr.ts";
import { loadPipeline } from "./lib/runner/load.ts";
import {
  BatchedWriter,
  JsonOutput,
  LiveOutput,
  PrefixedOutput,
  type OutputSink,
} from "./lib/runner/output.ts";
import { Planner } from "./lib/runner/plan.ts";
import { ProcessRunner } from "./lib/runner/process.ts";
import { Secrets } from "./lib/runner/redact.ts";
import { jsonEvent, printable } from "../.dagger/src/text/printable.ts";
import { buildReport, junit, redactReport, renderSummary, timeline } from "./lib/runner/report.ts";
import { Scheduler } from "./lib/runner/scheduler.ts";
import { JobSpans } from "./lib/runner/trace.ts";
import { ATTR, startTracing } from "../.dagger/cli/tracing.ts";
import { describeGraph, selectSteps } from "./lib/runner/select.ts";

const USAGE = `usage: bun .buildkite/run-pipeline.ts [FILE|-] [options]
  --dir DIR                 the checkout to run in (default: the current directory)
  --spawn N                 jobs at once (default: the number of CPUs)
  --block continue|stop     block and input steps continue (default) or stop the build (state: blocked)
  --meta-data K=V           a block or input field's value, or any meta-data (repeatable); on a
                            terminal the runner asks for fields that have none
  --plugins fail|skip       a plugin that cannot run locally fails its job (default) or skips it
  --isolate                 each job in its own clean checkout of the commit (a git worktree)
  --trigger SLUG=FILE       run FILE for trigger steps of pipeline SLUG (repeatable)
  --env K=V                 set a variable in every job (repeatable)
  --branch B --commit C --message M --tag T --source S --default-branch B
  --pull-request N [--pull-request-base B]   values for the build, its env and its if conditions
  --no-interpolation        take the file as written
  --step KEY                run only these steps and what they depend on (repeatable)
  --dry-run [--json]        print the expanded job graph and run nothing
  --list                    list the steps
  --report-json PATH --junit PATH --timeline PATH.html
  --log-format text|json    json: one JSON object per event on stdout, for log pipelines
  --host-checks             run-dagger.sh runs each check's host command instead of dagger call
  --minute-seconds N        how long a minute of timeout_in_minutes lasts (default 60)`;

const RUNNER = import.meta.path;
const AGENT_CLI = join(import.meta.dir, "lib/runner/agent/cli.ts");

function pairs(values: string[] | undefined, option: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values ?? []) {
    const i = v.indexOf("=");
    if (i <= 0) throw new InputError(`${option} ${v}: expected NAME=VALUE`);
    out.set(v.slice(0, i), v.slice(i + 1));
  }
  return out;
}

function positiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`${option} ${value}: expected a whole number of at least 1`);
  return n;
}

void main(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    {
      dir: { type: "string", default: "." },
      spawn: { type: "string" },
      block: { type: "string", default: "continue" },
      "meta-data": { type: "string", multiple: true },
      plugins: { type: "string", default: "fail" },
      isolate: { type: "boolean", default: false },
      trigger: { type: "string", multiple: true },
      env: { type: "string", multiple: true },
      branch: { type: "string" },
      commit: { type: "string" },
      message: { type: "string" },
      "pull-request": { type: "string" },
      "default-branch": { type: "string" },
      tag: { type: "string" },
      "pull-request-base": { type: "string" },
      source: { type: "string" },
      "no-interpolation": { type: "boolean", default: false },
      step: { type: "string", multiple: true },
      "dry-run": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      "report-json": { type: "string" },
      junit: { type: "string" },
      timeline: { type: "string" },
      "host-checks": { type: "boolean", default: false },
      "minute-seconds": { type: "string" },
      "log-format": { type: "string", default: "text" },
      help: { type: "boolean", short: "h", default: false },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new InputError(`one pipeline file at a time\n${USAGE}`);
  if (values.block !== "continue" && values.block !== "stop")
    throw new InputError(`--block ${values.block}: expected continue or stop`);
  const logFormat = values["log-format"];
  if (logFormat !== "text" && logFormat !== "json")
    throw new InputError(`--log-format ${logFormat}: expected text or json`);
  const dir = resolve(values.dir);
  if (!existsSync(dir)) throw new InputError(`--dir ${values.dir}: no such directory`);
  const spawn = positiveInt(values.spawn, "--spawn", availableParallelism());
  const pluginPolicy = values.plugins;
  if (pluginPolicy !== "fail" && pluginPolicy !== "skip")
    throw new InputError(`--plugins ${pluginPolicy}: expected fail or skip`);
  const metaData = pairs(values["meta-data"], "--meta-data");
  const minuteMs = positiveInt(values["minute-seconds"], "--minute-seconds", 60) * 1000;
  const pr = values["pull-request"];
  if (pr !== undefined && !/^\d+$/.test(pr)) throw new InputError(`--pull-request ${pr}: expected a number`);
  const triggers = pairs(values.trigger, "--trigger");
  const overrides = Object.fromEntries(pairs(values.env, "--env"));
  if (values["host-checks"]) overrides.MONOREPO_CI_HOST_CHECKS = "1";

  const file = positionals[0] ?? ".buildkite/pipeline.yml";
  let text: string;
  try {
    text = file === "-" ? await new Response(Bun.stdin.stream()).text() : readFileSync(resolve(file), "utf8");
  } catch (cause) {
    throw new InputError(`${file}: ${(cause as Error).message}`, { cause });
  }

  const fromGit = (args: string[]) => {
    const r = git(dir, args);
    return r.ok ? r.stdout.trim() : "";
  };
  const branch = values.branch ?? (fromGit(["rev-parse", "--abbrev-ref", "HEAD"]) || "local");
  const commit = values.commit ?? (fromGit(["rev-parse", "HEAD"]) || "HEAD");
  if (values.isolate && !fromGit(["rev-parse", "--verify", "--quiet", `${commit}^{commit}`])) {
    throw new InputError(`--isolate: ${dir} has no commit ${commit} to check out for each job`);
  }
  const message = values.message ?? fromGit(["log", "-1", "--format=%B"]);
  const defaultBranch = values["default-branch"] ?? "main";
  const tag = values.tag ?? null;
  const prBase = pr ? (values["pull-request-base"] ?? defaultBranch) : null;
  const source = values.source ?? "local";
  const repo = fromGit(["remote", "get-url", "origin"]);
  const author = {
    email: fromGit(["log", "-1", "--format=%ae"]),
    name: fromGit(["log", "-1", "--format=%an"]),
  };
  const buildId = randomUUID();
  // The build's number and directory; nothing is created until the build really runs.
  const localDir = join(dir, ".buildkite", ".local");
  const taken = existsSync(localDir) ? readdirSync(localDir).map(Number).filter(Number.isInteger) : [];
  const number = 1 + Math.max(0, ...taken);
  const buildDir = join(localDir, String(number));
  const buildEnv: Record<string, string> = {
    BUILDKITE: "true",
    CI: "true",
    BUILDKITE_BRANCH: branch,
    BUILDKITE_COMMIT: commit,
    BUILDKITE_TAG: tag ?? "",
    BUILDKITE_MESSAGE: message,
    BUILDKITE_BUILD_NUMBER: String(number),
    BUILDKITE_BUILD_ID: buildId,
    BUILDKITE_PULL_REQUEST: pr ?? "false",
    BUILDKITE_PIPELINE_DEFAULT_BRANCH: defaultBranch,
    BUILDKITE_PIPELINE_SLUG: basename(dir),
    BUILDKITE_PIPELINE_NAME: basename(dir),
    BUILDKITE_ORGANIZATION_SLUG: "local",
    BUILDKITE_REPO: repo,
    BUILDKITE_BUILD_URL: `file://${buildDir}`,
    BUILDKITE_PULL_REQUEST_BASE_BRANCH: prBase ?? "",
    BUILDKITE_BUILD_CHECKOUT_PATH: dir,
    BUILDKITE_SOURCE: source,
    BUILDKITE_BUILD_AUTHOR_EMAIL: author.email,
    BUILDKITE_BUILD_AUTHOR: author.name,
    BUILDKITE_BUILD_CREATOR_EMAIL: author.email,
    BUILDKITE_BUILD_CREATOR: author.name,
  };

  // The build's own variables (BUILDKITE_BRANCH, …) win over --env and a trigger's build.env, as
  // no step can override them on Buildkite.
  const lookup = (name: string) => buildEnv[name] ?? overrides[name] ?? process.env[name];
  const { pipeline, warnings } = loadPipeline(text, file === "-" ? "(stdin)" : file, {
    interpolate: !values["no-interpolation"],
    lookup,
  });
  for (const w of warnings) process.stderr.write(`warning: ${printable(w)}\n`);
  const pipelineEnv = pipeline.env;
  const vars: Variables = {
    "build.branch": branch,
    "build.tag": tag,
    "build.message": message,
    "build.commit": commit,
    "build.source": source,
    "build.id": buildId,
    "build.number": number,
    "build.state": "started",
    // Locally, whoever made the last commit is both the author and the creator of the build.
    "build.author.email": author.email,
    "build.author.id": null,
    "build.author.name": author.name,
    "build.author.teams": [],
    "build.creator.email": author.email,
    "build.creator.id": null,
    "build.creator.name": author.name,
    "build.creator.teams": [],
    "build.pull_request.id": pr ?? null,
    "build.pull_request.base_branch": prBase,
    "build.pull_request.draft": false,
    "build.pull_request.labels": [],
    "build.pull_request.repository": pr ? repo : null,
    "build.pull_request.repository.fork": false,
    "pipeline.default_branch": defaultBranch,
    "pipeline.id": null,
    "pipeline.repository": repo,
    "pipeline.slug": basename(dir),
    "organization.id": null,
    "organization.slug": "local",
    env: (name) => buildEnv[name] ?? overrides[name] ?? pipelineEnv[name] ?? process.env[name],
  };
  const planner = new Planner(vars);
  planner.plan(pipeline);
  if (values.step?.length) selectSteps(planner.graph, values.step);

  // Labels and summaries are interpolated from the environment too: everything printed or
  // written goes through the build's redactor, not only the jobs' own output, and reaches the
  // terminal without control sequences (a job's log file keeps its output as it was).
  const secrets = new Secrets();
  secrets.add(process.env);
  secrets.add(pipelineEnv);
  secrets.add(overrides);
  for (const job of planner.graph.jobs.values()) secrets.add(job.env);
  const shown = (text: string) => printable(secrets.redact(text));

  if (values.list || values["dry-run"]) {
    const graph = describeGraph(planner.graph);
    if (values.json) process.stdout.write(secrets.redact(`${JSON.stringify({ steps: graph }, null, 2)}\n`));
    else if (values.list) {
      for (const s of graph)
        process.stdout.write(
          shown(
            `${s.path}  ${s.kind}  ${s.key ?? "-"}  ${s.label}${s.jobs.length > 1 ? `  (${s.jobs.length} jobs)` : ""}\n`,
          ),
        );
    } else {
      for (const s of graph) {
        const deps =
          s.depends_on.map((d) => `${d.step}${d.allow_failure ? " (may fail)" : ""}`).join(", ") || "nothing";
        process.stdout.write(
          shown(
            `${s.kind} ${s.key ?? s.id} "${s.label}" after ${deps}${s.skip ? ` — skipped: ${s.skip}` : ""}\n`,
          ),
        );
        for (const j of s.jobs) {
          const extra =
            j.parallel_job !== null
              ? ` parallel ${j.parallel_job}`
              : j.matrix
                ? ` matrix ${JSON.stringify(j.matrix)}`
                : "";
          process.stdout.write(
            shown(`  ${j.id} "${j.label}"${extra}${j.skip && !s.skip ? ` — skipped: ${j.skip}` : ""}\n`),
          );
        }
      }
    }
    return 0;
  }

  const logsDir = join(buildDir, "logs");
  const binDir = join(buildDir, "bin");
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  writeFileSync(
    join(binDir, "buildkite-agent"),
    `#!/bin/sh\nexec "${process.execPath}" "${AGENT_CLI}" "$@"\n`,
  );
  chmodSync(join(binDir, "buildkite-agent"), 0o755);
  const store = new AgentStore(join(buildDir, "agent"));
  store.setKeys(planner.graph.keys.keys());
  for (const [k, v] of metaData) store.setMeta(k, v);
  let knownKeys = planner.graph.keys.size;

  const batch = new BatchedWriter((text) => process.stdout.write(text), process.stdout);
  const write = (text: string) => batch.write(shown(text));
  const output: OutputSink =
    logFormat === "json"
      ? new JsonOutput(write)
      : process.stdout.isTTY
        ? // Its cursor moves are its own; everything it shows goes through `write`.
          new LiveOutput(write, batch.write)
        : new PrefixedOutput(write);
  const inherit = [
    "--dir",
    dir,
    "--spawn",
    String(spawn),
    "--block",
    values.block,
    "--plugins",
    pluginPolicy,
    ...[...metaData].map(([k, v]) => `--meta-data=${k}=${v}`),
    "--minute-seconds",
    String(minuteMs / 1000),
    ...(values["no-interpolation"] ? ["--no-interpolation"] : []),
    ...[...pairs(values.env, "--env")].map(([k, v]) => `--env=${k}=${v}`),
  ];
  // A span per job attempt under the build's root, when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing(`run-pipeline ${file}`, { "monorepo_ci.pipeline": file });
  const jobSpans = tracing ? new JobSpans(tracing) : undefined;
  const runner = new ProcessRunner({
    dir,
    logsDir,
    binDir,
    store,
    buildEnv,
    pipelineEnv,
    overrides,
    minuteMs,
    triggers,
    output,
    room: () => batch.room(),
    // The file last, after "--": a path that starts with "-" stays the file.
    triggerCommand: (f, args) => [process.execPath, RUNNER, ...inherit, ...args, "--", f],
    isolate: values.isolate ? { commit, worktrees: join(buildDir, "worktrees") } : undefined,
    // What a job runs (a check, say) nests its own trace under the job's span.
    jobEnv: (job) => jobSpans?.env(job) ?? {},
  });
  const scheduler = new Scheduler(planner, runner, {
    spawn,
    block: values.block,
    plugins: pluginPolicy,
    // --meta-data first; then, on a terminal, ask; else the field's default.
    fieldValue: (field, step) => {
      const given = metaData.get(field.key);
      if (given !== undefined || !process.stdin.isTTY) return given;
      const answer = prompt(`${step}: ${field.text}${field.default === null ? "" : ` [${field.default}]`}`);
      return answer === null || answer === "" ? undefined : answer;
    },
    setMetaData: (key, value) => store.setMeta(key, value),
    onEvent: (e) => {
      jobSpans?.onEvent(e);
      if (e.type === "start") {
        secrets.add(e.record.job.env); // an uploaded job may bring new ones
        output.start(e.record);
      } else if (e.type === "retry") output.retry(e.record, e.exitStatus);
      else output.finish(e.record);
      // Uploads add keys; the agent needs them to refuse duplicates. Rewrite only when they change.
      if (e.type === "finish" && planner.graph.keys.size !== knownKeys) {
        knownKeys = planner.graph.keys.size;
        store.setKeys(planner.graph.keys.keys());
      }
    },
  });
  const interrupt = () => {
    scheduler.cancel();
    runner.cancelAsyncBuilds();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  await scheduler.run();
  // Async triggered builds run on after their step passed; the run ends when they do, and their
  // results are shown without changing this build's state, as on Buildkite.
  const asyncBuilds = await runner.asyncBuilds();
  output.close();

  const report = redactReport(
    buildReport(
      scheduler.state,
      [...scheduler.records.values()],
      (id) => runner.logOf(id),
      store.annotations(),
      store.metaData(),
    ),
    secrets.redact,
  );
  writeFileAtomic(join(buildDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  if (values["report-json"]) writeFileAtomic(values["report-json"], `${JSON.stringify(report, null, 2)}\n`);
  if (values.junit) writeFileAtomic(values.junit, junit(report));
  if (values.timeline) writeFileAtomic(values.timeline, timeline(report));
  if (logFormat === "json") {
    const event = (e: Record<string, unknown>) => write(jsonEvent(e));
    for (const b of asyncBuilds)
      event({ event: "async_build_finished", label: b.label, exit_status: b.exitStatus });
    event({ event: "build_finished", state: report.state, jobs: report.jobs.length, logs: logsDir });
  } else {
    write(`\n${renderSummary(report)}logs: ${logsDir}\n`);
    for (const b of asyncBuilds)
      write(
        `async trigger ${b.label}: its build ${b.exitStatus === 0 ? "passed" : `failed (exit ${b.exitStatus})`}; not part of this build's state\n`,
      );
  }
  batch.flush();
  if (tracing) {
    tracing.root.setAttribute(ATTR.status, report.state);
    if (report.state !== "passed") tracing.fail(tracing.root, `the build ${report.state}`);
    await tracing.end();
  }
  return report.state === "passed" ? 0 : 1;
});
