import { randomUUID } from "node:crypto";
import os from "node:os";
import { join } from "node:path";
import { MAX_LINE } from "../../../.dagger/src/plan/result.ts";
import { killSession } from "../../../.dagger/src/run/process-group.ts";
import { EXIT_GRACE_MS } from "../../../.dagger/src/run/task-process.ts";
import type { AgentStore } from "./agent/store.ts";
import type { OutputSink } from "./output.ts";
import type { Job } from "./plan.ts";
import { redactor, secretValues } from "./redact.ts";
import { JobLog } from "./job-log.ts";
import type { Attempt, JobRunner } from "./scheduler.ts";
import type { Upload } from "./agent/store.ts";
import { dockerRun } from "./docker.ts";
import { withoutProtected } from "./protected-env.ts";

export type ProcessRunnerOptions = {
  dir: string;
  logsDir: string;
  binDir: string;
  store: AgentStore;
  /** BUILDKITE_* of the build, shared by every job. */
  buildEnv: Record<string, string>;
  pipelineEnv: Record<string, string>;
  overrides: Record<string, string>;
  minuteMs: number;
  /** `--trigger SLUG=FILE`, and the runner arguments a triggered build inherits. */
  triggers: Map<string, string>;
  triggerCommand: (file: string, args: string[]) => string[];
  output: OutputSink;
  /** Resolves when the terminal has room for more of the jobs' output (a slow reader). */
  room?: () => Promise<void>;
  /**
   * `--isolate`: each attempt runs in its own clean checkout of this commit (a git worktree under
   * `worktrees`), so what one job leaves in the tree is not there for the next, as on Buildkite.
   */
  isolate?: { commit: string; worktrees: string };
  /** More variables for one job, after the agent's (the job span's TRACEPARENT, when tracing). */
  jobEnv?: (job: Job) => Record<string, string>;
};

/** The variable that marks every process of a job's attempt (see spawn). */
const JOB_SESSION = "MONOREPO_CI_JOB_SESSION";

/** How much of a line without an end is held before it goes out as a piece. */
const LINE_PIECE = 256 * 1024;

/** `cut`, moved back to the start of any secret that would straddle it. */
function cutOutside(text: string, cut: number, secrets: string[]): number {
  let at = cut;
  for (let moved = true; moved;) {
    moved = false;
    for (const v of secrets) {
      const i = text.lastIndexOf(v, at - 1);
      if (i >= 0 && i + v.length > at) {
        at = i;
        moved = true;
      }
    }
  }
  return at;
}

/** Runs each job as `bash -e -c <commands>` in the checkout, in its own process group. */
export class ProcessRunner implements JobRunner {
  /** What every job shares, computed once: the environment under the step's, and its secrets. */
  private readonly base: Record<string, string>;
  private readonly baseSecrets: string[];
  private readonly baseRedact: (text: string) => string;

  constructor(private readonly o: ProcessRunnerOptions) {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
    );
    // Protected variables keep the agent's own value: the pipeline's or --env's is ignored.
    this.base = { ...inherited, ...withoutProtected({ ...o.pipelineEnv, ...o.overrides }).allowed };
    this.baseSecrets = secretValues({ ...this.base, ...o.buildEnv });
    this.baseRedact = redactor(this.baseSecrets);
  }

  /** Jobs with a log file: those that printed something in some attempt. */
  private readonly logged = new Set<string>();

  logOf(job: string): string | null {
    return this.logged.has(job) ? join(this.o.logsDir, `${job}.log`) : null;
  }

  /** Async triggered builds, still running after their trigger step passed. */
  private readonly background: { job: Job; done: Promise<Attempt> }[] = [];
  private readonly backgroundStop = new AbortController();

  uploads(job: Job): Upload[] {
    return this.o.store.takeUploads(job.id);
  }

  /** Waits for the async triggered builds; their results are reported but never the build's. */
  async asyncBuilds(): Promise<{ label: string; exitStatus: number | null }[]> {
    return Promise.all(
      this.background.map(async (b) => ({ label: b.job.label, exitStatus: (await b.done).exitStatus })),
    );
  }

  cancelAsyncBuilds(): void {
    this.backgroundStop.abort();
  }

  /**
   * The job's environment in Buildkite's precedence: the agent's own environment, then the
   * pipeline's `env`, the build's (`--env`), the step's, and last the agent's `BUILDKITE_*`
   * variables, which no step can override.
   */
  env(job: Job, retry: number): Record<string, string> {
    return {
      ...this.base,
      ...withoutProtected(job.env).allowed,
      ...this.o.buildEnv,
      BUILDKITE_JOB_ID: job.uuid,
      BUILDKITE_STEP_ID: job.stepUuid,
      BUILDKITE_STEP_KEY: job.key ?? "",
      BUILDKITE_LABEL: job.label,
      BUILDKITE_COMMAND: job.commands.join("\n"),
      BUILDKITE_TIMEOUT: job.timeoutMinutes === null ? "false" : String(job.timeoutMinutes),
      BUILDKITE_ARTIFACT_PATHS: job.artifactPaths,
      BUILDKITE_PLUGINS: JSON.stringify(job.plugins),
      BUILDKITE_RETRY_COUNT: String(retry),
      ...Object.fromEntries(
        Object.entries(job.agentTags).map(([k, v]) => [
          `BUILDKITE_AGENT_META_DATA_${k.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`,
          v,
        ]),
      ),
      ...(job.group && {
        BUILDKITE_GROUP_ID: job.group.id,
        BUILDKITE_GROUP_KEY: job.group.key ?? "",
        BUILDKITE_GROUP_LABEL: job.group.label,
      }),
      ...(job.parallel && {
        BUILDKITE_PARALLEL_JOB: String(job.parallel.index),
        BUILDKITE_PARALLEL_JOB_COUNT: String(job.parallel.count),
      }),
      ...(job.matrix && { BUILDKITE_MATRIX: JSON.stringify(job.matrix) }),
      PATH: `${this.o.binDir}:${process.env.PATH ?? ""}`,
      MONOREPO_CI_AGENT_DIR: this.o.store.dir,
      MONOREPO_CI_JOB: job.id,
      ...this.o.jobEnv?.(job),
    };
  }

  /** The protected variables the job's environment tried to set (the pipeline's, --env's, its own). */
  private refusedEnv(job: Job): string[] {
    return withoutProtected({ ...this.o.pipelineEnv, ...this.o.overrides, ...job.env }).refused;
  }

  run(job: Job, retry: number, signal: AbortSignal): Promise<Attempt> {
    if (job.kind === "trigger" && job.trigger) {
      const { pipeline, args } = job.trigger;
      const file = this.o.triggers.get(pipeline);
      if (!file)
        return Promise.resolve({
          exitStatus: null,
          skipped: `trigger ${pipeline}: not run locally (give --trigger ${pipeline}=FILE)`,
        });
      const argv = this.o.triggerCommand(file, args);
      if (!job.trigger.async) return this.spawn(job, retry, signal, () => argv);
      // async: the step passes once the build is created; the build runs on, and its result is
      // reported at the end without deciding this build's state.
      this.background.push({ job, done: this.spawn(job, retry, this.backgroundStop.signal, () => argv) });
      return Promise.resolve({
        exitStatus: 0,
        note: `triggered ${pipeline} asynchronously; its build runs on without this one waiting`,
      });
    }
    const docker = job.plugins.find((p) => p.name === "docker");
    if (docker) {
      const names = Object.keys({ ...this.o.pipelineEnv, ...this.o.overrides, ...job.env });
      return this.spawn(job, retry, signal, (cwd) => {
        const run = dockerRun(docker, job.commands, cwd, names);
        if ("error" in run) throw new Error(`plugin docker: ${run.error}`);
        return run;
      });
    }
    if (!job.commands.length) return Promise.resolve({ exitStatus: 0 });
    return this.spawn(job, retry, signal, () => ["bash", "-e", "-c", job.commands.join("\n")]);
  }

  /** Runs the attempt's argv (built for its checkout) in its own process group. */
  private async spawn(
    job: Job,
    retry: number,
    signal: AbortSignal,
    command: (cwd: string) => string[] | { argv: string[]; env: Record<string, string> },
  ): Promise<Attempt> {
    const env = this.env(job, retry);
    // The shared secrets were found once; only the step's own variables (and the values a
    // plugin sets, such as the docker plugin's environment) are looked at here.
    const own = secretValues(job.env);
    // Every secret this attempt's output is redacted of (a plugin may add more below).
    const known = [...this.baseSecrets, ...own];
    let redact = own.length
      ? redactor([...new Set([...this.baseSecrets, ...own])].sort((a, b) => b.length - a.length))
      : this.baseRedact;
    const path = join(this.o.logsDir, `${job.id}.log`);
    const attempt = `--- ${job.label}${retry ? ` (retry ${retry})` : ""}`;
    let cwd: string;
    try {
      cwd = this.checkout(job, retry);
    } catch (error) {
      const log = new JobLog(job.id, path, redact(attempt));
      this.emit(log, job, `checkout failed: ${(error as Error).message}`);
      this.logged.add(job.id);
      log.close();
      return { exitStatus: 1 };
    }
    let argv: string[];
    try {
      const built = command(cwd);
      argv = Array.isArray(built) ? built : built.argv;
      if (!Array.isArray(built) && Object.keys(built.env).length) {
        Object.assign(env, built.env);
        const more = secretValues(built.env);
        known.push(...more);
        if (more.length) {
          redact = redactor(
            [...new Set([...this.baseSecrets, ...own, ...more])].sort((a, b) => b.length - a.length),
          );
        }
      }
    } catch (error) {
      const log = new JobLog(job.id, path, redact(attempt));
      this.emit(log, job, redact((error as Error).message));
      this.release(cwd, log);
      return { exitStatus: 1 };
    }
    const log = new JobLog(job.id, path, redact(`${attempt}: ${argv.join(" ")}`));
    for (const name of this.refusedEnv(job)) {
      this.emit(
        log,
        job,
        `warning: ${name} is protected: only the agent's configuration sets it, so the job's value was ignored`,
      );
    }
    // Bun.spawn, not node:child_process: the same process group (detached = setsid) at a
    // fraction of the main-thread cost, which is most of the runner's per-job overhead.
    // Every process of the attempt carries this mark, so what left its process group (setsid,
    // nohup … &) is found and ended with it: a finished job leaves nothing running.
    const session = { name: JOB_SESSION, value: randomUUID() };
    const child = Bun.spawn(argv, {
      cwd,
      env: { ...env, [session.name]: session.value },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let timedOut = false;
    let canceled = false;
    const stop = () => killSession(child.pid, session);
    const timer =
      job.timeoutMinutes === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, job.timeoutMinutes * this.o.minuteMs);
    const onAbort = () => {
      canceled = true;
      stop();
    };
    signal.addEventListener("abort", onAbort, { once: true });
    let open = true;
    let drained = false;
    // A piece of a long line keeps the longest secret's length back, and never ends inside a
    // secret, so no secret is cut in two and escapes redaction.
    const overlap = Math.max(0, ...known.map((v) => v.length));
    const lines = async (stream: ReadableStream<Uint8Array>) => {
      const reader = stream.getReader();
      let decoder: TextDecoder | undefined;
      // The unfinished line, as the chunks that hold it: joined only when a line end arrives or
      // a piece is cut, so a long line costs its size once, not once per chunk.
      let pending: string[] = [];
      let size = 0;
      // Pieces of the current line went out: its end is still owed, even with nothing left over.
      let cutLine = false;
      const keep = (text: string) => {
        pending = text ? [text] : [];
        size = text.length;
      };
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        if (!open) return;
        decoder ??= new TextDecoder();
        const text = decoder.decode(chunk.value, { stream: true });
        const end = text.lastIndexOf("\n");
        if (end < 0) {
          pending.push(text);
          size += text.length;
        } else {
          const done = pending.join("") + text.slice(0, end);
          keep(text.slice(end + 1));
          cutLine = false;
          for (const l of done.split("\n")) this.emit(log, job, redact(l));
        }
        // A line with no end in sight goes out in pieces (the log keeps it whole), so memory
        // holds at most a piece of it, whatever one line's size.
        if (size > LINE_PIECE + overlap) {
          const partial = pending.join("");
          const cut = cutOutside(partial, partial.length - overlap, known);
          this.piece(log, job, redact(partial.slice(0, cut)));
          keep(partial.slice(cut));
          cutLine = true;
        }
        // A slow terminal holds the reading back, never the memory.
        await this.o.room?.();
      }
      const partial = pending.join("") + (decoder ? decoder.decode() : "");
      if ((partial || cutLine) && open) this.emit(log, job, redact(partial));
    };
    const output = Promise.all([lines(child.stdout), lines(child.stderr)]).then(() => {
      drained = true;
    });
    try {
      const code = await child.exited;
      // A detached grandchild may hold the pipes open: the job is done shortly after its own
      // process, and after its timeout, whatever is still attached to its output.
      if (!drained) await Promise.race([output, Bun.sleep(EXIT_GRACE_MS)]);
      open = false;
      const sig = child.signalCode;
      const signum = typeof sig === "string" ? os.constants.signals[sig] : sig;
      return {
        exitStatus: signum ? 128 + signum : code,
        signal: typeof sig === "string" ? sig.replace(/^SIG/, "") : null,
        timedOut,
        canceled,
      };
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      killSession(child.pid, session);
      // As the agent does: artifact_paths are uploaded after the command, whatever its outcome.
      if (job.artifactPaths) this.uploadArtifacts(job, cwd, log, redact);
      this.release(cwd, log);
    }
  }

  /** The attempt is over: its worktree (with --isolate) goes, and its log closes. */
  private release(cwd: string, log: JobLog): void {
    if (log.written) this.logged.add(log.job);
    try {
      if (cwd !== this.o.dir) this.git(["worktree", "remove", "--force", cwd]);
    } finally {
      log.close();
    }
  }

  private git(args: string[]): void {
    const r = Bun.spawnSync(["git", "-C", this.o.dir, ...args], { stdout: "ignore", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`git ${args[0]}: ${r.stderr.toString().trim()}`);
  }

  /** The directory the attempt runs in: the checkout, or with --isolate a fresh worktree of the commit. */
  private checkout(job: Job, retry: number): string {
    const isolate = this.o.isolate;
    if (!isolate) return this.o.dir;
    const path = join(isolate.worktrees, `${job.id}-${retry}`);
    this.git(["worktree", "add", "--detach", "--force", path, isolate.commit]);
    return path;
  }

  private uploadArtifacts(job: Job, cwd: string, log: JobLog, redact: (t: string) => string): void {
    let line: string;
    try {
      const { paths, refused } = this.o.store.artifacts.upload(
        job.artifactPaths,
        cwd,
        job.id,
        job.key ?? job.label,
      );
      for (const r of refused)
        this.emit(log, job, redact(`${r} not uploaded: it is a symlink leading out of the checkout`));
      line = paths.length
        ? `uploaded ${paths.length} artifact(s) for ${job.artifactPaths}`
        : `no files matched artifact_paths ${job.artifactPaths}`;
    } catch (error) {
      line = `artifact upload failed: ${(error as Error).message}`;
    }
    this.emit(log, job, redact(line));
  }

  private emit(log: JobLog, job: Job, text: string): void {
    log.line(text);
    this.o.output.line(job, text);
  }

  /**
   * Part of a line too long to hold: the log continues it as is; the terminal shows its start,
   * as reports cut a long line, since a screen of one 256 KiB piece after another helps no one,
   * and copying each whole piece for display was most of a long line's memory.
   */
  private piece(log: JobLog, job: Job, text: string): void {
    log.write(text);
    const more = text.length - MAX_LINE;
    this.o.output.line(
      job,
      more > 0 ? `${text.slice(0, MAX_LINE)} … (${more} more characters in the log)` : `${text} …`,
    );
  }
}
