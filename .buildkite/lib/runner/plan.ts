import { branchesMatch } from "./branches.ts";
import { conditionHolds, type Variables } from "./expr.ts";
import type {
  BlockField,
  Combo,
  PipelineDefinition,
  RetryRule,
  SoftFail,
  StepDefinition,
  StepKind,
  TriggerDefinition,
} from "./definition.ts";
import type { Dependency } from "../pipeline/walk.ts";
import type { Plugin } from "./plugins.ts";

import { randomUUID } from "node:crypto";

export type JobKind = "command" | "block" | "input" | "trigger";

export type Job = {
  id: string;
  step: string;
  kind: JobKind;
  key: string | null;
  label: string;
  commands: string[];
  env: Record<string, string>;
  parallel: { index: number; count: number } | null;
  matrix: Record<string, string> | null;
  /** Decided at planning time: if, branches, skip, a matrix adjustment. */
  skip: string | null;
  softFail: SoftFail;
  retry: RetryRule[];
  timeoutMinutes: number | null;
  concurrency: { group: string; limit: number; ordered: boolean } | null;
  priority: number;
  cancelOnBuildFailing: boolean;
  trigger: TriggerDefinition | null;
  /** What they mean locally is plugins.ts's decision. */
  plugins: Plugin[];
  /** The agent tags the job targets (`queue=default` unless set): BUILDKITE_AGENT_META_DATA_*. */
  agentTags: Record<string, string>;
  /** The group the step sits in, for BUILDKITE_GROUP_ID, _KEY and _LABEL. */
  group: { id: string; key: string | null; label: string } | null;
  /** Buildkite's ids are UUIDs: BUILDKITE_JOB_ID and BUILDKITE_STEP_ID. */
  uuid: string;
  stepUuid: string;
  /** `artifact_paths`, joined with `;` as the agent passes them. */
  artifactPaths: string;
  /** A block or input step's fields: the meta-data keys it sets, with their defaults. */
  fields: BlockField[];
};

export type Dep = { step: string; allowFailure: boolean };

export type StepNode = {
  id: string;
  kind: StepKind;
  key: string | null;
  label: string;
  path: string;
  deps: Dep[];
  allowDependencyFailure: boolean;
  continueOnFailure: boolean;
  jobs: string[];
  children: string[];
  skip: string | null;
  /** The wait or block that follows this step in its scope: uploads it makes are added to it. */
  nextBarrier: string | null;
  /** BUILDKITE_STEP_ID of its jobs, and BUILDKITE_GROUP_ID of a group's children. */
  uuid: string;
};

export type Graph = { steps: Map<string, StepNode>; jobs: Map<string, Job>; keys: Map<string, string> };

/**
 * A dependency on a key no step has yet stands for that key until one does: Buildkite resolves
 * depends_on over the whole build, so a later upload may define it. One that never appears
 * fails the steps waiting for it, unrun (the scheduler decides when "never" is).
 */
const AWAITED = "awaited-key:";
export const awaitedDep = (key: string) => `${AWAITED}${key}`;
export const awaitedKey = (dep: string) => (dep.startsWith(AWAITED) ? dep.slice(AWAITED.length) : undefined);

const MATRIX_REF = /\{\{\s*matrix(?:\.([\w-]+))?\s*\}\}/g;
const substitute = (text: string, combo: Combo) =>
  text.replace(MATRIX_REF, (all, name: string | undefined) => combo.values[name ?? ""] ?? all);

/** Buildkite's parallel label helpers: %n counts from 0, %N from 1, %t is the total. */
const PARALLEL_REF = /%[nNt]/g;
function parallelLabel(label: string, index: number, count: number): string {
  if (!/%[nNt]/.test(label)) return `${label} (${index + 1}/${count})`;
  return label.replace(PARALLEL_REF, (m) => String(m === "%n" ? index : m === "%N" ? index + 1 : count));
}

/**
 * Turns step definitions into step nodes and jobs. It keeps its counters and key map, so steps
 * uploaded by a running job join the same graph.
 */
export class Planner {
  readonly graph: Graph = { steps: new Map(), jobs: new Map(), keys: new Map() };
  private stepCount = 0;
  private jobCount = 0;
  private readonly rawDeps = new Map<string, { deps: Dependency[] | undefined; inherit: string | null }>();

  constructor(private readonly vars: Variables) {}

  /** Plans a whole pipeline; returns the new step ids. */
  plan(pipeline: PipelineDefinition, uploader: string | null = null): string[] {
    const before = new Set(this.graph.steps.keys());
    const context: Context = {
      // A pipeline's top-level priority is every job's unless the step sets its own.
      priority: pipeline.priority ?? 0,
      agents: { queue: "default", ...pipeline.agents },
    };
    this.scope(
      pipeline.steps,
      context,
      uploader ? [{ step: uploader, allowFailure: false }] : [],
      null,
      null,
    );
    const added = [...this.graph.steps.keys()].filter((id) => !before.has(id));
    this.resolve(added);
    this.bindAwaited();
    if (uploader) {
      const barrier = this.graph.steps.get(uploader)?.nextBarrier;
      // As on Buildkite: a step that depends on the uploader depends on what it uploaded too, as
      // leniently as on the uploader.
      for (const node of this.graph.steps.values()) {
        const on = node.deps.find((d) => d.step === uploader);
        if (!on || !before.has(node.id) || node.id === barrier) continue;
        node.deps.push(...added.map((step) => ({ step, allowFailure: on.allowFailure })));
      }
      // As on Buildkite: the uploaded steps sit after their uploader, so its next wait waits for them too.
      const node = barrier ? this.graph.steps.get(barrier) : undefined;
      if (node)
        node.deps.push(
          ...added
            .filter((id) => this.graph.steps.get(id)?.kind !== "input")
            .map((step) => ({ step, allowFailure: false })),
        );
    }
    return added;
  }

  private condition(step: StepDefinition, parentSkip: string | null): string | null {
    if (parentSkip) return parentSkip;
    if (step.skip) return step.skip;
    const branch = String(this.vars["build.branch"]);
    if (step.branches !== null && !branchesMatch(step.branches, branch)) {
      return `branches: ${JSON.stringify(step.branches)} does not match ${branch}`;
    }
    if (step.condition && !conditionHolds(step.condition.expr, this.vars))
      return `if: ${step.condition.source} is false`;
    return null;
  }

  private scope(
    steps: StepDefinition[],
    context: Context,
    initial: Dep[],
    group: string | null,
    groupSkip: string | null,
  ): string[] {
    let barrier = initial;
    let since: string[] = [];
    const ids: string[] = [];
    for (const step of steps) {
      const { kind } = step;
      const skip = this.condition(step, groupSkip);
      if (kind === "wait" && skip) continue; // a wait whose condition is false is no barrier at all
      const node = this.node(step, skip);
      const parent = group ? this.graph.steps.get(group) : undefined;
      // A group's allow_dependency_failure holds for its children too.
      if (parent?.allowDependencyFailure) node.allowDependencyFailure = true;
      const implicit =
        kind === "input"
          ? []
          : kind === "wait" || kind === "block"
            ? [...barrier, ...since.map((s) => ({ step: s, allowFailure: false }))]
            : barrier;
      this.rawDeps.set(node.id, { deps: step.dependsOn, inherit: group });
      node.deps = step.dependsOn === undefined ? implicit : [];
      ids.push(node.id);
      if (kind === "wait" || kind === "block") {
        for (const s of since) {
          const prev = this.graph.steps.get(s);
          if (prev) prev.nextBarrier = node.id;
        }
        barrier = [{ step: node.id, allowFailure: false }];
        since = [];
      } else if (kind !== "input") {
        since.push(node.id);
      }
      if (kind === "group") node.children = this.scope(step.steps, context, [], node.id, skip);
      else if (kind !== "wait") this.jobsFor(node, step, context, skip, parent);
    }
    return ids;
  }

  private node(step: StepDefinition, skip: string | null): StepNode {
    const id = `step-${++this.stepCount}`;
    const node: StepNode = {
      id,
      kind: step.kind,
      key: step.key,
      label: step.label,
      path: step.path,
      deps: [],
      allowDependencyFailure: step.allowDependencyFailure,
      continueOnFailure: step.continueOnFailure,
      jobs: [],
      children: [],
      skip,
      nextBarrier: null,
      uuid: randomUUID(),
    };
    this.graph.steps.set(id, node);
    if (step.key) this.graph.keys.set(step.key, id);
    return node;
  }

  private jobsFor(
    node: StepNode,
    step: StepDefinition,
    context: Context,
    skip: string | null,
    group?: StepNode,
  ): void {
    const base = {
      step: node.id,
      kind: (node.kind === "group" || node.kind === "wait" ? "command" : node.kind) as JobKind,
      key: node.key,
      softFail: step.softFail,
      retry: step.retry,
      timeoutMinutes: step.timeoutMinutes,
      concurrency: step.concurrency,
      priority: step.priority ?? context.priority,
      cancelOnBuildFailing: step.cancelOnBuildFailing,
      trigger: step.trigger,
      plugins: step.plugins,
      agentTags: { ...context.agents, ...step.agents },
      fields: step.fields,
      group: group ? { id: group.uuid, key: group.key, label: group.label } : null,
      stepUuid: node.uuid,
      artifactPaths: step.artifactPaths,
    };
    const add = (job: Omit<Job, "id" | "uuid" | keyof typeof base> & Partial<Pick<Job, "softFail">>) => {
      const id = `job-${++this.jobCount}`;
      this.graph.jobs.set(id, { id, uuid: randomUUID(), ...base, ...job });
      node.jobs.push(id);
    };
    if (step.matrix) {
      for (const combo of step.matrix) {
        const values = combo.scalar ? { matrix: combo.values[""] ?? "" } : combo.values;
        add({
          label: substitute(node.label, combo),
          commands: step.commands.map((c) => substitute(c, combo)),
          env: Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, substitute(v, combo)])),
          parallel: null,
          matrix: values,
          skip: skip ?? combo.skip,
          ...(combo.softFail && { softFail: combo.softFail }),
        });
      }
      return;
    }
    const count = step.parallelism;
    for (let index = 0; index < count; index++) {
      add({
        label: count > 1 ? parallelLabel(node.label, index, count) : node.label,
        commands: step.commands,
        env: step.env,
        parallel: count > 1 ? { index, count } : null,
        matrix: null,
        skip,
      });
    }
  }

  /** Dependencies on keys that have since been defined (by this plan) now name their steps. */
  private bindAwaited(): void {
    for (const node of this.graph.steps.values()) {
      for (const dep of node.deps) {
        const key = awaitedKey(dep.step);
        const step = key === undefined ? undefined : this.graph.keys.get(key);
        if (step) dep.step = step;
      }
    }
  }

  /** The keys steps still wait for, that no step in the build has. */
  awaitedKeys(): string[] {
    const keys = new Set<string>();
    for (const node of this.graph.steps.values()) {
      for (const dep of node.deps) {
        const key = awaitedKey(dep.step);
        if (key !== undefined) keys.add(key);
      }
    }
    return [...keys];
  }

  /** Explicit depends_on, resolved to step ids where the key is known; groups pass theirs down. */
  private resolve(ids: string[]): void {
    for (const id of ids) {
      const node = this.graph.steps.get(id);
      const raw = this.rawDeps.get(id);
      if (!node || !raw) continue;
      if (raw.deps !== undefined) {
        node.deps.push(
          ...raw.deps.map((d) => {
            const step = this.graph.keys.get(d.step) ?? awaitedDep(d.step);
            return { step, allowFailure: d.allowFailure };
          }),
        );
      }
    }
    for (const id of ids) {
      const node = this.graph.steps.get(id);
      const inherit = this.rawDeps.get(id)?.inherit;
      const group = inherit ? this.graph.steps.get(inherit) : undefined;
      if (node && group) node.deps.push(...group.deps);
    }
  }
}

/** What a pipeline gives all its steps: the default priority and agent tags. */
type Context = { priority: number; agents: Record<string, string> };
