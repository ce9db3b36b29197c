import { dependencies, stepKey, stepObject, type Dependency } from "../pipeline/walk.ts";
import { PipelineError } from "../pipeline/validate.ts";
import { stepKind, type StepKind } from "../pipeline/step-kind.ts";
import { ExprError, parseExpr, type Expr } from "./expr.ts";
import { MAX_JOBS_PER_UPLOAD } from "./limits.ts";
import { pluginsOf, type Plugin } from "./plugins.ts";

/**
 * One typed definition per step, made once when a pipeline is loaded: the planner and the
 * scheduler work on these, never on the raw document. Everything here is plain data, so an
 * uploaded pipeline travels from the agent stand-in to the runner as JSON and is not parsed twice.
 */

export type { StepKind };
/** `*` in a retry rule; "none" in signal and signal_reason matches a job that had none. */
export type Match<T> = "*" | T[];
export type RetryRule = {
  exitStatus: Match<number>;
  /** Signal names, upper case without the SIG prefix (`KILL`), or "NONE". */
  signal: Match<string>;
  signalReason: Match<string>;
  limit: number;
};
export type SoftFail = { any: boolean; statuses: number[] };
export type BlockField = { key: string; text: string; required: boolean; default: string | null };
export type Combo = {
  values: Record<string, string>;
  scalar: boolean;
  skip: string | null;
  softFail: SoftFail | null;
};
export type TriggerDefinition = { pipeline: string; async: boolean; args: string[] };

export type StepDefinition = {
  /** Where the step sits in its file (`steps[2].steps[0]`), for messages. */
  path: string;
  kind: StepKind;
  key: string | null;
  label: string;
  /** `depends_on` as written; undefined when absent (implicit ordering by waits applies). */
  dependsOn: Dependency[] | undefined;
  allowDependencyFailure: boolean;
  continueOnFailure: boolean;
  /** `skip:` as a reason, or null. */
  skip: string | null;
  branches: string | string[] | null;
  /** `if:` with its source, parsed here and nowhere else. */
  condition: { source: string; expr: Expr } | null;
  commands: string[];
  env: Record<string, string>;
  agents: Record<string, string>;
  softFail: SoftFail;
  retry: RetryRule[];
  timeoutMinutes: number | null;
  concurrency: { group: string; limit: number; ordered: boolean } | null;
  priority: number | null;
  cancelOnBuildFailing: boolean;
  /** Expanded combinations, or null without a matrix. */
  matrix: Combo[] | null;
  parallelism: number;
  trigger: TriggerDefinition | null;
  plugins: Plugin[];
  fields: BlockField[];
  /** `artifact_paths`, joined with `;` as the agent passes them. */
  artifactPaths: string;
  /** A group's children. */
  steps: StepDefinition[];
};

export type PipelineDefinition = {
  env: Record<string, string>;
  agents: Record<string, string>;
  priority: number | null;
  steps: StepDefinition[];
};

const flag = (v: unknown) => v === true || v === "true";
const strings = (raw: unknown): Record<string, string> =>
  raw && typeof raw === "object" && !Array.isArray(raw)
    ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]))
    : {};

const NO_SOFT_FAIL: SoftFail = { any: false, statuses: [] };

function softFailOf(raw: unknown): SoftFail {
  if (flag(raw)) return { any: true, statuses: [] };
  if (!Array.isArray(raw)) return NO_SOFT_FAIL;
  const statuses: number[] = [];
  for (const r of raw) {
    const s = (r as { exit_status?: unknown }).exit_status;
    if (s === "*") return { any: true, statuses: [] };
    if (typeof s === "number") statuses.push(s);
  }
  return { any: false, statuses };
}

function matchOf<T>(raw: unknown, each: (v: unknown) => T): Match<T> {
  if (raw === undefined || raw === null || raw === "*") return "*";
  const list = Array.isArray(raw) ? raw : [raw];
  return list.includes("*") ? "*" : list.map(each);
}

/** A signal as the agent compares it: case-insensitive, the SIG prefix optional. */
export const signalName = (s: string) => s.toUpperCase().replace(/^SIG/, "");

/** `retry.automatic` in its forms; each rule matches on exit status, signal and signal reason. */
function retryOf(raw: unknown): RetryRule[] {
  const automatic = (raw as { automatic?: unknown } | undefined)?.automatic;
  if (flag(automatic)) return [{ exitStatus: "*", signal: "*", signalReason: "*", limit: 2 }];
  const rules = Array.isArray(automatic)
    ? automatic
    : automatic && typeof automatic === "object"
      ? [automatic]
      : [];
  return rules.map((r: Record<string, unknown>) => ({
    exitStatus: matchOf(r.exit_status, Number),
    signal: matchOf(r.signal, (s) => signalName(String(s))),
    signalReason: matchOf(r.signal_reason, (s) => String(s).toLowerCase()),
    limit: typeof r.limit === "number" ? r.limit : 2,
  }));
}

/** `skip: ""` and `skip: false` mean run; a string is the reason shown. */
export const skipReason = (raw: unknown): string | null =>
  flag(raw) ? "skip: true" : typeof raw === "string" && raw !== "false" && raw !== "" ? `skip: ${raw}` : null;

/** How many jobs a matrix makes, counted without expanding it, so a huge one is refused first. */
function matrixSize(raw: unknown): number {
  if (Array.isArray(raw)) return raw.length;
  const m = raw as { setup?: unknown; adjustments?: unknown[] };
  const setup = Array.isArray(m?.setup)
    ? m.setup.length
    : Object.values((m?.setup ?? {}) as Record<string, unknown[]>).reduce(
        (n, values) => n * (Array.isArray(values) ? values.length : 1),
        1,
      );
  return setup + (m?.adjustments?.length ?? 0);
}

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
    if (adj.skip !== undefined) {
      const reason = skipReason(adj.skip);
      combo.skip = reason ? `matrix adjustment ${reason}` : null;
    }
    if (adj.soft_fail !== undefined) combo.softFail = softFailOf(adj.soft_fail);
  }
  return combos;
}

/**
 * A trigger's `build:` (branch, commit, message, env, meta_data) as the flags of the child run, so
 * the triggered build sees them in its conditions, its BUILDKITE_* variables and its meta-data.
 * Each value is one argument: nothing is parsed by a shell.
 */
function triggerOf(step: Record<string, unknown>): TriggerDefinition | null {
  if (typeof step.trigger !== "string") return null;
  const build = (step.build && typeof step.build === "object" ? step.build : {}) as Record<string, unknown>;
  const args: string[] = [];
  // `--flag=value`, one argument each: a value starting with "-" stays a value.
  for (const key of ["branch", "commit", "message"]) {
    if (typeof build[key] === "string") args.push(`--${key}=${build[key] as string}`);
  }
  for (const [k, v] of Object.entries(strings(build.env))) args.push(`--env=${k}=${v}`);
  for (const [k, v] of Object.entries(strings(build.meta_data))) args.push(`--meta-data=${k}=${v}`);
  return { pipeline: step.trigger, async: flag(step.async), args };
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

function commandsOf(step: Record<string, unknown>): string[] {
  const raw = step.commands ?? step.command;
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

function labelOf(step: Record<string, unknown>, kind: StepKind, key: string | null): string {
  const named = [step.label, step.name, step.group, step.block, step.input, step.trigger].find(
    (v) => typeof v === "string",
  );
  return String(named ?? (kind === "wait" ? "wait" : undefined) ?? key ?? commandsOf(step)[0] ?? kind);
}

function artifactPathsOf(raw: unknown): string {
  return (Array.isArray(raw) ? raw : [raw ?? ""]).map(String).filter(Boolean).join(";");
}

class Definer {
  readonly problems: { path: string; message: string }[] = [];

  steps(raw: unknown, base: string): StepDefinition[] {
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((item, i) => {
      const step = stepObject(item);
      return step ? [this.step(step, `${base}[${i}]`)] : [];
    });
  }

  private condition(step: Record<string, unknown>, path: string): StepDefinition["condition"] {
    if (typeof step.if !== "string") return null;
    try {
      return { source: step.if, expr: parseExpr(step.if) };
    } catch (error) {
      if (!(error instanceof ExprError)) throw error;
      this.problems.push({ path: `${path}.if`, message: error.message });
      return null;
    }
  }

  private matrix(step: Record<string, unknown>, path: string): Combo[] | null {
    if (step.matrix === undefined) return null;
    if (step.parallelism !== undefined) {
      this.problems.push({ path, message: "a matrix step cannot also set parallelism" });
      return null;
    }
    const size = matrixSize(step.matrix);
    if (size > MAX_JOBS_PER_UPLOAD) {
      this.problems.push({
        path,
        message: `makes ${size} jobs; one upload may make at most ${MAX_JOBS_PER_UPLOAD}`,
      });
      return null;
    }
    return matrixCombos(step.matrix);
  }

  private step(step: Record<string, unknown>, path: string): StepDefinition {
    const kinded = stepKind(step);
    // validatePipeline has refused a step without a kind; one that got here is still named.
    if (typeof kinded !== "string") this.problems.push({ path, message: kinded.problem });
    const kind = typeof kinded === "string" ? kinded : "command";
    const key = stepKey(step) ?? null;
    return {
      path,
      kind,
      key,
      label: labelOf(step, kind, key),
      dependsOn: dependencies(step, path),
      allowDependencyFailure: flag(step.allow_dependency_failure),
      continueOnFailure: flag(step.continue_on_failure),
      skip: skipReason(step.skip),
      branches:
        typeof step.branches === "string" || Array.isArray(step.branches)
          ? (step.branches as string | string[])
          : null,
      condition: this.condition(step, path),
      commands: commandsOf(step),
      env: strings(step.env),
      agents: strings(step.agents),
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
      priority: typeof step.priority === "number" ? step.priority : null,
      cancelOnBuildFailing: flag(step.cancel_on_build_failing),
      matrix: this.matrix(step, path),
      parallelism: typeof step.parallelism === "number" && step.parallelism > 1 ? step.parallelism : 1,
      trigger: triggerOf(step),
      plugins: pluginsOf(step.plugins),
      fields: fieldsOf(step.fields),
      artifactPaths: artifactPathsOf(step.artifact_paths),
      steps: kind === "group" ? this.steps(step.steps, `${path}.steps`) : [],
    };
  }
}

/**
 * The pipeline's typed definition. A condition that does not parse, a matrix with parallelism or a
 * matrix over the upload limit is an error naming its path (exit 2), not a skipped step.
 */
export function definePipeline(doc: Record<string, unknown>, file: string): PipelineDefinition {
  const definer = new Definer();
  const steps = definer.steps(doc.steps, "steps");
  if (definer.problems.length) throw new PipelineError(file, definer.problems);
  return {
    env: strings(doc.env),
    agents: strings(doc.agents),
    priority: typeof doc.priority === "number" ? doc.priority : null,
    steps,
  };
}

/** Every definition, group children included, depth first. */
export function eachDefinition(steps: StepDefinition[]): StepDefinition[] {
  return steps.flatMap((s) => [s, ...eachDefinition(s.steps)]);
}
