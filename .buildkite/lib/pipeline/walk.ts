/** A step as found in a pipeline document, with where it sits, before any interpretation. */
export type Located = { path: string; step: Record<string, unknown>; group?: Located };

/** The steps that may be written as a bare string. */
export const STRING_STEPS = new Set(["wait", "waiter", "block", "input"]);

/**
 * The step's mapping: `{command: {...}}`-style nesting unwrapped, and the string forms (`wait`,
 * `block`, `input`) turned into their object forms. Other strings are not steps.
 */
export function stepObject(raw: unknown): Record<string, unknown> | undefined {
  if (typeof raw === "string")
    return STRING_STEPS.has(raw) ? { [raw === "waiter" ? "wait" : raw]: null } : undefined;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const obj = raw as Record<string, unknown>;
  const keys = Object.keys(obj);
  const only = keys[0];
  if (
    keys.length === 1 &&
    only &&
    ["command", "script", "commands", "wait", "block", "input", "trigger"].includes(only)
  ) {
    const inner = obj[only];
    if (typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      return only === "script" || only === "commands" ? { ...inner } : { [only]: null, ...inner };
    }
  }
  return obj;
}

/** Every step, group children included, each with its JSON path (`steps[2].steps[0]`). */
export function walkSteps(steps: unknown, base = "steps", group?: Located): Located[] {
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((raw, i) => {
    const step = stepObject(raw);
    if (!step) return [];
    const here: Located = { path: `${base}[${i}]`, step, group };
    return "group" in step ? [here, ...walkSteps(step.steps, `${here.path}.steps`, here)] : [here];
  });
}

/** `key`, or its older aliases `id` and `identifier`. */
export function stepKey(step: Record<string, unknown>): string | undefined {
  const k = step.key ?? step.id ?? step.identifier;
  return typeof k === "string" ? k : undefined;
}

export type Dependency = { step: string; allowFailure: boolean; path: string };

/** `depends_on` in its three forms; null and `[]` mean "no dependencies" (distinct from absent). */
export function dependencies(step: Record<string, unknown>, path: string): Dependency[] | undefined {
  const raw = step.depends_on;
  if (raw === undefined) return undefined;
  if (raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((d, i) => {
    const at = Array.isArray(raw) ? `${path}.depends_on[${i}]` : `${path}.depends_on`;
    if (typeof d === "string") return [{ step: d, allowFailure: false, path: at }];
    if (typeof d === "object" && d !== null && typeof (d as { step?: unknown }).step === "string") {
      const dep = d as { step: string; allow_failure?: unknown };
      return [
        {
          step: dep.step,
          allowFailure: dep.allow_failure === true || dep.allow_failure === "true",
          path: at,
        },
      ];
    }
    return [];
  });
}
