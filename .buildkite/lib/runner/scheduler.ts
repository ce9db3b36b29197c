import type { Upload } from "./agent/store.ts";
import type { BlockField, Match, RetryRule } from "./definition.ts";
import { awaitedDep, awaitedKey, type Job, type Planner, type StepNode } from "./plan.ts";

import { checkJobCount } from "./limits.ts";
import { pluginVerdict, type PluginPolicy } from "./plugins.ts";

export type JobState = "passed" | "failed" | "soft_failed" | "skipped" | "broken" | "canceled" | "timed_out";

export type JobRecord = {
  job: Job;
  state: JobState | null;
  exitStatus: number | null;
  retries: number;
  /** Retries used per `retry.automatic` rule, by its index. */
  ruleRetries: Map<number, number>;
  startedAt: Date | null;
  finishedAt: Date | null;
  detail: string;
};

/** How one attempt of a job ended, as the process runner saw it. */
export type Attempt = {
  exitStatus: number | null;
  /** The signal that ended the process, upper case without SIG (`TERM`), or null. */
  signal?: string | null;
  timedOut?: boolean;
  canceled?: boolean;
  skipped?: string;
  /** Shown with a passed job (an async trigger says its build runs on). */
  note?: string;
};

const matches = <T>(m: Match<T>, value: T) => m === "*" || m.includes(value);

/**
 * Does a `retry.automatic` rule match this attempt? Its exit status, signal and signal reason
 * must all match; `*` as an exit status is any non-zero one. A timed-out job was stopped by the
 * agent, so its signal reason is `cancel`; otherwise there is none.
 */
export function ruleMatches(rule: RetryRule, attempt: Attempt): boolean {
  const status = attempt.exitStatus;
  const exit = rule.exitStatus === "*" ? status !== 0 : status !== null && rule.exitStatus.includes(status);
  return (
    exit &&
    matches(rule.signal, attempt.signal ?? "NONE") &&
    matches(rule.signalReason, attempt.timedOut ? "cancel" : "none")
  );
}

export interface JobRunner {
  run(job: Job, retry: number, signal: AbortSignal): Promise<Attempt>;
  /** Pipelines the job uploaded with `buildkite-agent pipeline upload`, already validated. */
  uploads(job: Job): Upload[];
}

export type SchedulerEvent =
  | { type: "start"; record: JobRecord }
  | { type: "retry"; record: JobRecord; exitStatus: number | null }
  | { type: "finish"; record: JobRecord };

export type SchedulerOptions = {
  spawn: number;
  block: "continue" | "stop";
  /** What a plugin the runner cannot honour does to its job: fail it (default) or skip it. */
  plugins?: PluginPolicy;
  /**
   * A block or input step that continues: the value of each field, from --meta-data, a prompt
   * on a terminal, or its default; undefined when there is none. Each is set as meta-data.
   */
  fieldValue?: (field: BlockField, step: string) => string | undefined;
  setMetaData?: (key: string, value: string) => void;
  onEvent?: (event: SchedulerEvent) => void;
};

/**
 * A step's result as its dependents see it. "tolerated" is a continue_on_failure wait that let
 * failures through: later steps run, but a later plain wait still sees the failure.
 */
/** `missing`: a key a step waits for that no step in the build has, now that none can come. */
type Outcome = "passed" | "failed" | "skipped" | "blocked" | "tolerated" | "missing";

const FAILED: ReadonlySet<JobState> = new Set(["failed", "timed_out", "canceled", "broken"]);

/**
 * Runs a planned graph. Nothing is level-by-level: whenever a job ends, every step whose own
 * dependencies have all settled is evaluated, and every queued job that the spawn limit, its
 * concurrency group and priority allow is started.
 */
export class Scheduler {
  readonly records = new Map<string, JobRecord>();
  private readonly evaluated = new Set<string>();
  private readonly outcomes = new Map<string, Outcome>();
  private queue: string[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly groupRunning = new Map<string, number>();
  /** Jobs that did not run because a block step stopped the build (--block stop). */
  private readonly blocked = new Set<string>();
  private failing = false;
  /** Steps to look at on the next pump: a job of theirs settled, or what they wait on did. */
  private readonly dirty = new Set<string>();
  /** Who waits on a step: its dependents and its group. Rebuilt when an upload grows the graph. */
  private watchers = new Map<string, string[]>();
  private indexedSteps = -1;
  /** Labels of jobs that could never start; the build fails when there are any. */
  stranded: string[] = [];
  /** Keys steps depended on that no step in the build ever had; the build fails when there are any. */
  readonly missingKeys: string[] = [];
  private canceled = false;
  private done?: () => void;

  constructor(
    private readonly planner: Planner,
    private readonly runner: JobRunner,
    private readonly options: SchedulerOptions,
  ) {
    for (const job of planner.graph.jobs.values()) this.track(job);
  }

  /** Buildkite's build states: a build stopped at a block step is blocked, never passed. */
  get state(): "passed" | "failed" | "canceled" | "blocked" {
    if (this.canceled) return "canceled";
    if (this.stranded.length || this.missingKeys.length) return "failed";
    if ([...this.records.values()].some((r) => r.state === "failed" || r.state === "timed_out"))
      return "failed";
    return this.blocked.size ? "blocked" : "passed";
  }

  run(): Promise<void> {
    const finished = new Promise<void>((resolve) => (this.done = resolve));
    this.pump();
    return finished;
  }

  /** SIGINT: stop every running job (the runner kills its process group) and start nothing more. */
  cancel(): void {
    this.canceled = true;
    for (const ctrl of this.running.values()) ctrl.abort();
    for (const id of this.queue) this.settle(id, "canceled", "not run: the build was canceled");
    this.queue = [];
    this.pump();
  }

  private track(job: Job): void {
    this.records.set(job.id, {
      job,
      state: null,
      exitStatus: null,
      retries: 0,
      ruleRetries: new Map(),
      startedAt: null,
      finishedAt: null,
      detail: "",
    });
  }

  private record(id: string): JobRecord {
    const r = this.records.get(id);
    if (!r) throw new Error(`scheduler: no job ${id}`);
    return r;
  }

  private settle(id: string, state: JobState, detail: string, exitStatus: number | null = null): void {
    const r = this.record(id);
    r.state = state;
    r.detail = detail;
    r.exitStatus = exitStatus;
    r.finishedAt ??= new Date();
    this.dirty.add(r.job.step);
    this.options.onEvent?.({ type: "finish", record: r });
  }

  private block(id: string, detail: string): void {
    this.blocked.add(id);
    this.settle(id, "skipped", detail);
  }

  private step(id: string): StepNode {
    const s = this.planner.graph.steps.get(id);
    if (!s) throw new Error(`scheduler: no step ${id}`);
    return s;
  }

  /**
   * The watcher index, rebuilt only when the graph grew (a plan adds steps, and only a plan adds
   * dependencies); then every step without an outcome is looked at again.
   */
  private index(): void {
    const steps = this.planner.graph.steps;
    if (this.indexedSteps === steps.size) return;
    this.indexedSteps = steps.size;
    this.watchers = new Map();
    const watch = (on: string, who: string) => {
      const list = this.watchers.get(on);
      if (list) list.push(who);
      else this.watchers.set(on, [who]);
    };
    for (const step of steps.values()) {
      for (const d of step.deps) watch(d.step, step.id);
      for (const c of step.children) watch(c, step.id);
      if (!this.outcomes.has(step.id)) this.dirty.add(step.id);
    }
  }

  /**
   * Evaluates each step whose dependencies have settled, then starts what may start. Only steps
   * something happened to are looked at, so a build of N jobs costs O(N), not O(N²).
   */
  private pump(): void {
    this.index();
    for (const id of this.dirty) {
      this.dirty.delete(id);
      if (this.outcomes.has(id)) continue;
      const step = this.step(id);
      if (!this.evaluated.has(id)) {
        if (!step.deps.every((d) => this.outcomes.has(d.step))) continue;
        this.evaluated.add(id);
        this.evaluate(step);
      }
      if (!this.outcomes.has(id)) {
        const outcome = this.outcomeOf(step);
        if (!outcome) continue;
        this.outcomes.set(id, outcome);
      }
      for (const w of this.watchers.get(id) ?? []) this.dirty.add(w);
    }
    this.startJobs();
    if (this.running.size === 0 && this.queue.length === 0 && !this.canceled && this.declareMissing()) {
      this.pump();
      return;
    }
    if (this.running.size === 0 && this.queue.length === 0) {
      // Jobs still waiting when nothing runs or can start: the build was canceled, or they wait on
      // steps that can never finish (an upload depending on a key behind a later wait). The
      // latter fails the build, naming them, rather than passing without them.
      const waiting = [...this.records.values()].filter((r) => r.state === null);
      if (!this.canceled && waiting.length) this.stranded = waiting.map((r) => r.job.label);
      for (const r of waiting) {
        this.settle(
          r.job.id,
          this.canceled ? "canceled" : "broken",
          this.canceled
            ? "not run: the build stopped first"
            : "not run: it waits on steps that can never run",
        );
      }
      this.done?.();
    }
  }

  /**
   * Nothing runs and nothing can start: a key still awaited will never be defined, since only a
   * running job can upload it. Each becomes a `missing` outcome, and the steps waiting for it
   * are looked at again. Returns whether there were any.
   */
  private declareMissing(): boolean {
    const keys = this.planner.awaitedKeys().filter((k) => !this.outcomes.has(awaitedDep(k)));
    for (const key of keys) {
      const dep = awaitedDep(key);
      this.outcomes.set(dep, "missing");
      this.missingKeys.push(key);
      for (const w of this.watchers.get(dep) ?? []) this.dirty.add(w);
    }
    return keys.length > 0;
  }

  private evaluate(step: StepNode): void {
    const deps = step.deps.map((d) => ({ dep: d, outcome: this.outcomes.get(d.step) as Outcome }));
    // Never run, whatever allow_dependency_failure says: Buildkite's depends_on docs.
    const missing = deps.flatMap((d) => (d.outcome === "missing" ? [awaitedKey(d.dep.step)] : []));
    const blocker = deps.find((d) => d.outcome === "blocked");
    const failed = deps.filter(
      (d) => d.outcome === "failed" && !d.dep.allowFailure && !step.allowDependencyFailure,
    );
    if (step.kind === "wait") {
      const upstreamFailed = failed.length > 0 || deps.some((d) => d.outcome === "tolerated");
      const outcome = missing.length
        ? "failed" // a wait that never runs lets nothing after it run, continue_on_failure or not
        : blocker
          ? "blocked"
          : !upstreamFailed
            ? "passed"
            : step.continueOnFailure
              ? "tolerated"
              : "failed";
      this.outcomes.set(step.id, outcome);
      return;
    }
    for (const id of step.jobs) {
      const job = this.record(id).job;
      if (this.canceled) this.settle(id, "canceled", "not run: the build was canceled");
      else if (blocker)
        this.block(id, `not run: blocked at ${this.step(blocker.dep.step).label} (--block stop)`);
      else if (step.skip ?? job.skip) this.settle(id, "skipped", (step.skip ?? job.skip) as string);
      else if (missing.length)
        this.settle(
          id,
          "broken",
          `not run: depends on ${missing.map((k) => `"${k}"`).join(", ")}, which no step in the build has as its key`,
        );
      else if (failed.length)
        this.settle(
          id,
          "broken",
          `not run: ${failed.map((f) => this.step(f.dep.step).label).join(", ")} failed`,
        );
      else if (job.kind === "block" && deps.some((d) => d.outcome === "tolerated"))
        // Failures let through by a continue_on_failure wait still fail the build, and a block
        // step in a failing build never runs on Buildkite.
        this.settle(
          id,
          "broken",
          "not run: the build is failing, and a block step does not run in a failing build",
        );
      else if (job.kind === "block" && this.options.block === "stop")
        this.block(id, "blocked: the build stops here (--block stop)");
      else if (job.kind === "block" || job.kind === "input") this.unblock(id, job);
      else if (this.failing && job.cancelOnBuildFailing)
        this.settle(id, "canceled", "not run: cancel_on_build_failing");
      else {
        const verdict = pluginVerdict(job.plugins, this.options.plugins ?? "fail");
        if (verdict.run) this.enqueue(id);
        else this.settle(id, verdict.skip ? "skipped" : "failed", verdict.reason);
      }
    }
  }

  /**
   * A block or input step that continues sets each field's meta-data, as unblocking it in
   * Buildkite would. A required field with no value stops the build instead of inventing one.
   */
  private unblock(id: string, job: Job): void {
    const missing: string[] = [];
    for (const field of job.fields) {
      const value = this.options.fieldValue?.(field, job.label) ?? field.default;
      if (value === null || value === undefined) {
        if (field.required) missing.push(field.key);
        continue;
      }
      this.options.setMetaData?.(field.key, value);
    }
    if (missing.length) {
      this.block(
        id,
        `blocked: no value for required field(s) ${missing.join(", ")}; pass --meta-data KEY=VALUE`,
      );
      return;
    }
    const set = job.fields.length
      ? `, fields set as meta-data: ${job.fields.map((f) => f.key).join(", ")}`
      : "";
    this.settle(id, "passed", `${job.kind} step continued (--block continue)${set}`);
  }

  private outcomeOf(step: StepNode): Outcome | undefined {
    if (step.kind === "group") {
      const children = step.children.map((c) => this.outcomes.get(c));
      if (children.some((c) => c === undefined)) return undefined;
      if (children.includes("failed")) return "failed";
      if (children.includes("blocked")) return "blocked";
      return children.length && children.every((c) => c === "skipped") ? "skipped" : "passed";
    }
    const records = step.jobs.map((id) => this.record(id));
    if (records.some((r) => r.state === null)) return undefined;
    if (records.some((r) => r.state && FAILED.has(r.state))) return "failed";
    if (records.some((r) => this.blocked.has(r.job.id))) return "blocked";
    return records.length && records.every((r) => r.state === "skipped") ? "skipped" : "passed";
  }

  /** May this queued job start now? Its group has a free slot, and an ordered group is FIFO. */
  private startable(id: string): boolean {
    const c = this.record(id).job.concurrency;
    if (!c) return true;
    if ((this.groupRunning.get(c.group) ?? 0) >= c.limit) return false;
    return !c.ordered || this.queue.find((q) => this.record(q).job.concurrency?.group === c.group) === id;
  }

  /**
   * The queue stays ordered by priority, highest first, and by arrival within a priority; a retry
   * goes first among its equals. Both searches stop at once when priorities are equal.
   */
  private enqueue(id: string, front = false): void {
    const p = this.record(id).job.priority;
    const priority = (i: number) => this.record(this.queue[i] as string).job.priority;
    let i: number;
    if (front) for (i = 0; i < this.queue.length && priority(i) > p; i++);
    else for (i = this.queue.length; i > 0 && priority(i - 1) < p; i--);
    this.queue.splice(i, 0, id);
  }

  /** The next job to start: the first in the queue that may start. */
  private pick(): number {
    return this.queue.findIndex((id) => this.startable(id));
  }

  private startJobs(): void {
    while (this.running.size < this.options.spawn && !this.canceled) {
      const at = this.pick();
      if (at === -1) return;
      const [id] = this.queue.splice(at, 1) as [string];
      const r = this.record(id);
      const group = r.job.concurrency?.group;
      if (group) this.groupRunning.set(group, (this.groupRunning.get(group) ?? 0) + 1);
      const ctrl = new AbortController();
      this.running.set(id, ctrl);
      r.startedAt ??= new Date();
      this.options.onEvent?.({ type: "start", record: r });
      this.runner.run(r.job, r.retries, ctrl.signal).then(
        (attempt) => this.finish(id, attempt),
        (error: unknown) => this.crashed(id, error),
      );
    }
  }

  private release(id: string): JobRecord {
    const r = this.record(id);
    this.running.delete(id);
    const group = r.job.concurrency?.group;
    if (group) this.groupRunning.set(group, (this.groupRunning.get(group) ?? 1) - 1);
    return r;
  }

  /** The runner itself failed (not the job's command): the job fails with the cause, nothing hangs. */
  private crashed(id: string, error: unknown): void {
    this.release(id);
    this.settle(
      id,
      "failed",
      `the runner could not run it: ${error instanceof Error ? error.message : String(error)}`,
    );
    this.buildFailing();
    this.pump();
  }

  private finish(id: string, attempt: Attempt): void {
    const r = this.release(id);
    const status = attempt.exitStatus;
    const uploads = this.runner.uploads(r.job);
    // An upload over the limits fails its job, as the agent's upload would fail; nothing is added.
    const refused = this.refusedUpload(uploads);
    if (refused) {
      this.settle(id, "failed", refused, status);
    } else if (attempt.skipped) {
      this.settle(id, "skipped", attempt.skipped);
    } else if (attempt.canceled) {
      // Canceled jobs are never retried automatically, as on Buildkite.
      this.settle(
        id,
        "canceled",
        this.canceled ? "canceled: the build was canceled" : "canceled: cancel_on_build_failing",
        status,
      );
    } else if (status === 0 && !attempt.timedOut) {
      this.settle(id, "passed", attempt.note ?? "", 0);
    } else if (this.retried(r, attempt)) {
      return;
    } else if (attempt.timedOut) {
      this.settle(id, "timed_out", `timed out after ${r.job.timeoutMinutes} minute(s)`, status);
    } else {
      const soft = r.job.softFail.any || (status !== null && r.job.softFail.statuses.includes(status));
      const how = attempt.signal ? `by SIG${attempt.signal}` : `${status}`;
      this.settle(id, soft ? "soft_failed" : "failed", `exited ${how}`, status);
    }
    if (r.state === "failed" || r.state === "timed_out") this.buildFailing();
    for (const upload of refused ? [] : uploads) {
      if (upload.replace) this.replacePending();
      for (const step of this.planner.plan(upload.pipeline, r.job.step)) {
        for (const job of this.step(step).jobs) this.track(this.planner.graph.jobs.get(job) as Job);
      }
    }
    this.pump();
  }

  /** As on Buildkite, the first rule that matches decides, and each rule counts its own retries. */
  private retried(r: JobRecord, attempt: Attempt): boolean {
    if (this.canceled) return false;
    const index = r.job.retry.findIndex((rule) => ruleMatches(rule, attempt));
    const rule = r.job.retry[index];
    const used = r.ruleRetries.get(index) ?? 0;
    if (!rule || used >= rule.limit) return false;
    r.ruleRetries.set(index, used + 1);
    r.retries++;
    this.options.onEvent?.({ type: "retry", record: r, exitStatus: attempt.exitStatus });
    this.enqueue(r.job.id, true);
    this.pump();
    return true;
  }

  /**
   * `pipeline upload --replace`: every step that has not started yet leaves the build, as
   * Buildkite replaces the rest of the pipeline. Its jobs are reported skipped, saying why.
   */
  private replacePending(): void {
    for (const step of this.planner.graph.steps.values()) {
      if (this.outcomes.has(step.id) || step.kind === "group") continue;
      const records = step.jobs.map((j) => this.record(j));
      if (records.some((x) => x.startedAt !== null || x.state !== null)) continue;
      for (const x of records)
        this.settle(x.job.id, "skipped", "removed: replaced by pipeline upload --replace");
      this.queue = this.queue.filter((q) => !step.jobs.includes(q));
      this.evaluated.add(step.id);
      this.outcomes.set(step.id, "skipped");
    }
  }

  private refusedUpload(uploads: Upload[]): string | undefined {
    let existing = this.records.size;
    try {
      for (const u of uploads) existing += checkJobCount(u.pipeline, "pipeline upload", existing);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** The build is now failing: cancel_on_build_failing jobs stop, running or queued. */
  private buildFailing(): void {
    if (this.failing) return;
    this.failing = true;
    for (const [id, ctrl] of this.running) if (this.record(id).job.cancelOnBuildFailing) ctrl.abort();
    for (const id of this.queue.filter((q) => this.record(q).job.cancelOnBuildFailing)) {
      this.settle(id, "canceled", "not run: cancel_on_build_failing");
    }
    this.queue = this.queue.filter((q) => this.record(q).state === null);
  }
}
