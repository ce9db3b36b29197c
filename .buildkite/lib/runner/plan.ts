import { branchesMatch } from "./branches.ts";
import { conditionHolds, parseExpr, type Variables } from "./expr.ts";
import { dependencies, stepKey, stepObject } from "../pipeline/walk.ts";

import { randomUUID } from "node:crypto";
import { pluginsOf } from "./plugins.ts";

export type StepKind = "command" | "wait" | "block" | "input" | "trigger" | "group";
export type JobKind = "command" | "block" | "input" | "trigger";
export type RetryRule = { exitStatus: "*" | number[]; limit: number };
export type SoftFail = { any: boolean; statuses: number[] };

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
  trigger: string | null;
  /** A trigger step's `build`: what the triggered build gets, as runner flags. */
  triggerArgs: string[];
  /** Plugin names (`docker`, `kubernetes`); what they mean locally is plugins.ts's decision. */
  plugins: string[];
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

export type BlockField = { key: string; text: string; required: boolean; default: string | null };

/**
 * A trigger's `build:` (branch, commit, message, env, meta_data) as the flags of the child run, so
 * the triggered build sees them in its conditions, its BUILDKITE_* variables and its meta-data.
 * Each value is one argument: nothing is parsed by a shell.
 */
function triggerArgsOf(raw: unknown): string[] {
  if (!raw || typeof raw !== "object") return [];
  const build = raw as Record<string, unknown>;
  const args: string[] = [];
  for (const key of ["branch", "commit", "message"]) {
    if (typeof build[key] === "string") args.push(`--${key}`, build[key] as string);
  }
  const pairs = (flag: string, value: unknown) => {
    if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) args.push(flag, `${k}=${String(v)}`);
  };
  pairs("--env", build.env);
  pairs("--meta-data", build.meta_data);
  return args;
}

function fieldsOf(raw: unknown): BlockField[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((f) => {
    if (!f || typeof f !== "object") return [];
    const field = f as Record<string, unknown>;
    const key = typeof field.key === "string" ? field.key : undefined;
    if (!key) return [];
    const d = field.default;
    // A multiple select's default is a list; Buildkite stores the choices one per line.
    const value = Array.isArray(d)
      ? d.map(String).join("\n")
      : d === undefined || d === null
        ? null
        : String(d);
    const text =
      typeof field.text === "string" ? field.text : typeof field.select === "string" ? field.select : key;
    return [{ key, text, required: field.required !== false, default: value }];
  });
}

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

const NO_SOFT_FAIL: SoftFail = { any: false, statuses: [] };

function softFailOf(raw: unknown): SoftFail {
  if (raw === true || raw === "true") return { any: true, statuses: [] };
  if (!Array.isArray(raw)) return NO_SOFT_FAIL;
  const statuses: number[] = [];
  for (const r of raw) {
    const s = (r as { exit_status?: unknown }).exit_status;
    if (s === "*") return { any: true, statuses: [] };
    if (typeof s === "number") statuses.push(s);
  }
  return { any: false, statuses };
}

function retryOf(raw: unknown): RetryRule[] {
  const automatic = (raw as { automatic?: unknown } | undefined)?.automatic;
  if (automatic === true || automatic === "true") return [{ exitStatus: "*", limit: 2 }];
  const rules = Array.isArray(automatic)
    ? automatic
    : automatic && typeof automatic === "object"
      ? [automatic]
      : [];
  return rules.map((r: { exit_status?: unknown; limit?: unknown }) => ({
    exitStatus:
      r.exit_status === undefined || r.exit_status === "*"
        ? "*"
        : ([] as number[]).concat(r.exit_status as number),
    limit: typeof r.limit === "number" ? r.limit : 2,
  }));
}

const skipReason = (raw: unknown): string | null =>
  raw === true || raw === "true"
    ? "skip: true"
    : typeof raw === "string" && raw !== "false" && raw !== ""
      ? `skip: ${raw}`
      : null;

type Combo = {
  values: Record<string, string>;
  scalar: boolean;
  skip: string | null;
  softFail: SoftFail | null;
};

/** A matrix in list or setup form, with adjustments that change or add combinations. */
export function matrixCombos(raw: unknown): Combo[] {
  const m = raw as { setup?: unknown; adjustments?: unknown[] } | unknown[];
  const setup = Array.isArray(m) ? m : m.setup;
  let combos: Combo[];
  if (Array.isArray(setup)) {
    combos = setup.map((v) => ({ values: { "": String(v) }, scalar: true, skip: null, softFail: null }));
  } else {
    const dims = Object.entries((setup ?? {}) as Record<string, unknown[]>);
    combos = dims
      .reduce<Record<string, string>[]>(
        (acc, [name, values]) => acc.flatMap((c) => values.map((v) => ({ ...c, [name]: String(v) }))),
        [{}],
      )
      .map((values) => ({ values, scalar: false, skip: null, softFail: null }));
  }
  const adjustments = Array.isArray(m) ? [] : (m.adjustments ?? []);
  for (const adj of adjustments as { with: unknown; skip?: unknown; soft_fail?: unknown }[]) {
    const scalar = typeof adj.with !== "object" || adj.with === null;
    const values = scalar
      ? { "": String(adj.with) }
      : Object.fromEntries(Object.entries(adj.with as object).map(([k, v]) => [k, String(v)]));
    const same = (c: Combo) =>
      JSON.stringify(Object.entries(c.values).sort()) === JSON.stringify(Object.entries(values).sort());
    let combo = combos.find(same);
    if (!combo) combos.push((combo = { values, scalar, skip: null, softFail: null }));
    if (adj.skip !== undefined)
      combo.skip = skipReason(adj.skip) ? `matrix adjustment ${skipReason(adj.skip)}` : null;
    if (adj.soft_fail !== undefined) combo.softFail = softFailOf(adj.soft_fail);
  }
  return combos;
}

const MATRIX_REF = /\{\{\s*matrix(?:\.([\w-]+))?\s*\}\}/g;
const substitute = (text: string, combo: Combo) =>
  text.replace(MATRIX_REF, (all, name: string | undefined) => combo.values[name ?? ""] ?? all);

export function kindOf(step: Record<string, unknown>): StepKind {
  if ("wait" in step || step.type === "wait" || step.type === "waiter") return "wait";
  if ("block" in step || step.type === "block") return "block";
  if ("input" in step || step.type === "input") return "input";
  if ("trigger" in step || step.type === "trigger") return "trigger";
  if ("group" in step && Array.isArray(step.steps)) return "group";
  return "command";
}

/**
 * Turns pipeline steps into step nodes and jobs. It keeps its counters and key map, so steps
 * uploaded by a running job join the same graph.
 */
export class Planner {
  readonly graph: Graph = { steps: new Map(), jobs: new Map(), keys: new Map() };
  private stepCount = 0;
  private jobCount = 0;
  private readonly rawDeps = new Map<
    string,
    { deps: ReturnType<typeof dependencies>; inherit: string | null }
  >();

  private priority = 0;

  constructor(private readonly vars: Variables) {}

  /** Plans a whole pipeline document; returns the new step ids. */
  plan(
    doc: { steps?: unknown; priority?: unknown },
    path = "steps",
    uploader: string | null = null,
  ): string[] {
    const before = new Set(this.graph.steps.keys());
    // A pipeline's top-level priority is every job's unless the step sets its own.
    this.priority = typeof doc.priority === "number" ? doc.priority : 0;
    this.scope(doc.steps, path, uploader ? [{ step: uploader, allowFailure: false }] : [], null, null);
    const added = [...this.graph.steps.keys()].filter((id) => !before.has(id));
    this.resolve(added);
    if (uploader) {
      // As on Buildkite: the uploaded steps sit after their uploader, so its next wait waits for them too.
      const barrier = this.graph.steps.get(uploader)?.nextBarrier;
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

  private condition(step: Record<string, unknown>, parentSkip: string | null): string | null {
    if (parentSkip) return parentSkip;
    const skip = skipReason(step.skip);
    if (skip) return skip;
    if (
      step.branches !== undefined &&
      !branchesMatch(step.branches as string | string[], String(this.vars["build.branch"]))
    ) {
      return `branches: ${JSON.stringify(step.branches)} does not match ${this.vars["build.branch"]}`;
    }
    if (typeof step.if === "string" && !conditionHolds(parseExpr(step.if), this.vars))
      return `if: ${step.if} is false`;
    return null;
  }

  private scope(
    steps: unknown,
    path: string,
    initial: Dep[],
    group: string | null,
    groupSkip: string | null,
  ): string[] {
    if (!Array.isArray(steps)) return [];
    let barrier = initial;
    let since: string[] = [];
    const ids: string[] = [];
    for (const [i, raw] of steps.entries()) {
      const step = stepObject(raw);
      if (!step) continue;
      const at = `${path}[${i}]`;
      const kind = kindOf(step);
      const skip = this.condition(step, groupSkip);
      if (kind === "wait" && skip) continue; // a wait whose condition is false is no barrier at all
      const node = this.node(step, kind, at, skip);
      const parent = group ? this.graph.steps.get(group) : undefined;
      // A group's allow_dependency_failure holds for its children too.
      if (parent?.allowDependencyFailure) node.allowDependencyFailure = true;
      const explicit = dependencies(step, at);
      const implicit =
        kind === "input"
          ? []
          : kind === "wait" || kind === "block"
            ? [...barrier, ...since.map((s) => ({ step: s, allowFailure: false }))]
            : barrier;
      this.rawDeps.set(node.id, { deps: explicit, inherit: group });
      node.deps = explicit === undefined ? implicit : [];
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
      if (kind === "group") node.children = this.scope(step.steps, `${at}.steps`, [], node.id, skip);
      else if (kind !== "wait") this.jobsFor(node, step, skip, parent);
    }
    return ids;
  }

  private node(step: Record<string, unknown>, kind: StepKind, path: string, skip: string | null): StepNode {
    const id = `step-${++this.stepCount}`;
    const key = stepKey(step) ?? null;
    const named = [step.label, step.name, step.group, step.block, step.input, step.trigger].find(
      (v) => typeof v === "string",
    );
    const label = String(
      named ?? (kind === "wait" ? "wait" : undefined) ?? key ?? firstCommand(step) ?? kind,
    );
    const node: StepNode = {
      id,
      kind,
      key,
      label,
      path,
      deps: [],
      allowDependencyFailure:
        step.allow_dependency_failure === true || step.allow_dependency_failure === "true",
      continueOnFailure: step.continue_on_failure === true || step.continue_on_failure === "true",
      jobs: [],
      children: [],
      skip,
      nextBarrier: null,
      uuid: randomUUID(),
    };
    this.graph.steps.set(id, node);
    if (key) this.graph.keys.set(key, id);
    return node;
  }

  private jobsFor(
    node: StepNode,
    step: Record<string, unknown>,
    skip: string | null,
    group?: StepNode,
  ): void {
    const commands = commandsOf(step);
    const env = Object.fromEntries(
      Object.entries((step.env ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    );
    const base = {
      step: node.id,
      kind: (node.kind === "group" || node.kind === "wait" ? "command" : node.kind) as JobKind,
      key: node.key,
      softFail: softFailOf(step.soft_fail),
      retry: retryOf(step.retry),
      timeoutMinutes: typeof step.timeout_in_minutes === "number" ? step.timeout_in_minutes : null,
      concurrency:
        typeof step.concurrency === "number" && typeof step.concurrency_group === "string"
          ? {
              group: step.concurrency_group,
              limit: step.concurrency,
              ordered: step.concurrency_method !== "eager",
            }
          : null,
      priority: typeof step.priority === "number" ? step.priority : this.priority,
      cancelOnBuildFailing: step.cancel_on_build_failing === true || step.cancel_on_build_failing === "true",
      trigger: typeof step.trigger === "string" ? step.trigger : null,
      triggerArgs: triggerArgsOf(step.build),
      plugins: pluginsOf(step.plugins),
      fields: fieldsOf(step.fields),
      group: group ? { id: group.uuid, key: group.key, label: group.label } : null,
      stepUuid: node.uuid,
      artifactPaths: (Array.isArray(step.artifact_paths) ? step.artifact_paths : [step.artifact_paths ?? ""])
        .map(String)
        .filter(Boolean)
        .join(";"),
    };
    const add = (job: Omit<Job, "id" | "uuid" | keyof typeof base> & Partial<Pick<Job, "softFail">>) => {
      const id = `job-${++this.jobCount}`;
      this.graph.jobs.set(id, { id, uuid: randomUUID(), ...base, ...job });
      node.jobs.push(id);
    };
    if (step.matrix !== undefined) {
      for (const combo of matrixCombos(step.matrix)) {
        const values = combo.scalar ? { matrix: combo.values[""] ?? "" } : combo.values;
        add({
          label: substitute(node.label, combo),
          commands: commands.map((c) => substitute(c, combo)),
          env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, substitute(v, combo)])),
          parallel: null,
          matrix: values,
          skip: skip ?? combo.skip,
          ...(combo.softFail && { softFail: combo.softFail }),
        });
      }
      return;
    }
    const count = typeof step.parallelism === "number" && step.parallelism > 1 ? step.parallelism : 1;
    for (let index = 0; index < count; index++) {
      add({
        label: count > 1 ? `${node.label} (${index + 1}/${count})` : node.label,
        commands,
        env,
        parallel: count > 1 ? { index, count } : null,
        matrix: null,
        skip,
      });
    }
  }

  /** Explicit depends_on, resolved to step ids once every key is known; groups pass theirs down. */
  private resolve(ids: string[]): void {
    for (const id of ids) {
      const node = this.graph.steps.get(id);
      const raw = this.rawDeps.get(id);
      if (!node || !raw) continue;
      if (raw.deps !== undefined) {
        node.deps.push(
          ...raw.deps.map((d) => {
            const step = this.graph.keys.get(d.step);
            if (!step) throw new Error(`${d.path}: depends on unknown key ${d.step}`);
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

function commandsOf(step: Record<string, unknown>): string[] {
  const raw = step.commands ?? step.command;
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

const firstCommand = (step: Record<string, unknown>) => commandsOf(step)[0];
