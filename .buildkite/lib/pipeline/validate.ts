import { InputError } from "../../../.dagger/src/errors.ts";
import { schemaProblems, type Problem } from "./schema.ts";
import { propertyProblems, stepKind } from "./step-kind.ts";
import { dependencies, STRING_STEPS, stepKey, stepObject, walkSteps } from "./walk.ts";

/** A pipeline that Buildkite would refuse; the message lists each problem with its path. */
export class PipelineError extends InputError {
  override name = "PipelineError";
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(`${file}: invalid pipeline\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
  }
}

/**
 * Every step has a kind, and only that kind's properties (step-kind.ts): checked before the
 * schema, whose answer for a step that fits no kind lists every kind's complaint.
 */
export function uploadRuleProblems(steps: unknown, base = "steps"): Problem[] {
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((raw, i): Problem[] => {
    const path = `${base}[${i}]`;
    if (typeof raw === "string") {
      return STRING_STEPS.has(raw)
        ? []
        : [{ path, message: `Step is missing a type (${JSON.stringify(raw)} is not a step)` }];
    }
    const step = stepObject(raw);
    if (!step) return []; // not a mapping: the schema names it
    const kind = stepKind(step);
    if (typeof kind !== "string") return [{ path, message: kind.problem }];
    const own = propertyProblems(step, kind, path);
    return kind === "group" ? [...own, ...uploadRuleProblems(step.steps, `${path}.steps`)] : own;
  });
}

export type SemanticOptions = {
  /** Keys already in the build, for a dynamic upload: its steps may depend on them, not reuse them. */
  existing?: ReadonlySet<string>;
  /**
   * A build may define a dependency in a later upload, and one that never appears fails the step
   * waiting for it when the build runs (Buildkite's depends_on docs): the local runner allows
   * them. A pipeline we generate must be whole, so the generator refuses them.
   */
  laterKeys?: boolean;
};

/** What `buildkite-agent pipeline upload` enforces and the schema does not. */
export function semanticProblems(doc: unknown, options: SemanticOptions = {}): Problem[] {
  const existing = options.existing ?? new Set<string>();
  const steps = walkSteps((doc as { steps?: unknown })?.steps);
  const problems: Problem[] = [];
  const keys = new Map<string, string>();
  for (const { path, step } of steps) {
    const key = stepKey(step);
    if (key !== undefined) {
      const first = keys.get(key) ?? (existing.has(key) ? "an earlier upload" : undefined);
      if (first)
        problems.push({ path: `${path}.key`, message: `duplicate key "${key}" (first at ${first})` });
      else keys.set(key, path);
    }
    if (step.concurrency !== undefined && step.concurrency_group === undefined) {
      problems.push({ path: `${path}.concurrency`, message: "concurrency needs a concurrency_group" });
    }
    if (step.if !== undefined && step.branches !== undefined) {
      problems.push({ path: `${path}.if`, message: "if and branches cannot be used together" });
    }
  }
  const edges = new Map<string, { target: string; path: string }[]>();
  for (const { path, step } of steps) {
    for (const dep of dependencies(step, path) ?? []) {
      if (!options.laterKeys && !keys.has(dep.step) && !existing.has(dep.step)) {
        problems.push({ path: dep.path, message: `depends on "${dep.step}", which no step has as its key` });
      }
      const key = stepKey(step);
      if (key) edges.set(key, [...(edges.get(key) ?? []), { target: dep.step, path: dep.path }]);
    }
  }
  const state = new Map<string, "open" | "done">();
  const visit = (key: string, trail: string[]): void => {
    if (state.get(key) === "done") return;
    state.set(key, "open");
    for (const edge of edges.get(key) ?? []) {
      if (state.get(edge.target) === "open") {
        const from = trail.indexOf(edge.target);
        const cycle = [...(from >= 0 ? trail.slice(from) : []), key, edge.target];
        problems.push({ path: edge.path, message: `dependency cycle: ${cycle.join(" → ")}` });
      } else if (keys.has(edge.target)) {
        visit(edge.target, [...trail, key]);
      }
    }
    state.set(key, "done");
  };
  for (const key of keys.keys()) visit(key, []);
  return problems;
}

/** Upload rules, then the schema, then semantics; throws with every problem found, naming `file`. */
export function validatePipeline(doc: unknown, file: string, options?: SemanticOptions): void {
  const rules = uploadRuleProblems((doc as { steps?: unknown } | null)?.steps);
  const schema = rules.length ? rules : schemaProblems(doc);
  const problems = schema.length ? schema : semanticProblems(doc, options);
  if (problems.length) throw new PipelineError(file, problems);
}
