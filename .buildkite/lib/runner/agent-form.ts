/**
 * Where the official pipeline schema is stricter than `buildkite-agent pipeline upload`, the
 * runner follows the agent (see shared/buildkite/README.md). Each deviation is one entry here,
 * and each has a test in test/runner/agent-form.test.ts:
 *
 * 1. `timeout` is an alias of `timeout_in_minutes`.
 * 2. `soft_fail` takes `exit_status` as a list as well as a single status.
 * 3. `retry.automatic[].limit` may be above 10.
 * 4. An exit status may be written as a string of digits (`exit_status: '-1'`).
 *
 * A property the schema does not know is not one of them: Buildkite's upload refuses it, and so
 * does the runner (pipeline/step-kind.ts).
 */

/** `'-1'` → -1; anything else unchanged. */
const status = (v: unknown) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v);

type Doc = Record<string, unknown>;

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

/** Applies `fix` to every step mapping, group children included. */
function eachStep(steps: unknown, fix: (step: Doc) => Doc): unknown {
  if (!Array.isArray(steps)) return steps;
  return steps.map((raw) => {
    if (!isObject(raw)) return raw;
    const step = fix(raw);
    return Array.isArray(step.steps) ? { ...step, steps: eachStep(step.steps, fix) } : step;
  });
}

/** The pipeline as the agent reads it: aliases resolved, lists of exit statuses spread out. */
export function agentForm(doc: Doc): Doc {
  return {
    ...doc,
    steps: eachStep(doc.steps, (step) => {
      let out = step;
      if ("timeout" in out && !("timeout_in_minutes" in out)) {
        const { timeout, ...rest } = out;
        out = { ...rest, timeout_in_minutes: timeout };
      }
      if (Array.isArray(out.soft_fail)) {
        out = {
          ...out,
          soft_fail: out.soft_fail.flatMap((rule: unknown) =>
            isObject(rule) && Array.isArray(rule.exit_status)
              ? rule.exit_status.map((s: unknown) => ({ ...rule, exit_status: status(s) }))
              : [isObject(rule) ? { ...rule, exit_status: status(rule.exit_status) } : rule],
          ),
        };
      }
      const retry = out.retry;
      if (isObject(retry) && Array.isArray(retry.automatic)) {
        const automatic = retry.automatic.map((rule: unknown) =>
          isObject(rule) && "exit_status" in rule ? { ...rule, exit_status: status(rule.exit_status) } : rule,
        );
        out = { ...out, retry: { ...retry, automatic } };
      }
      return out;
    }),
  };
}

/**
 * A copy for the schema pass only: what the agent allows and the schema does not is brought
 * within the schema, so the schema still checks everything else. The runner runs `agentForm`.
 */
export function schemaView(doc: Doc): Doc {
  return {
    ...doc,
    steps: eachStep(doc.steps, (step) => {
      const retry = step.retry;
      if (!isObject(retry) || !Array.isArray(retry.automatic)) return step;
      const automatic = retry.automatic.map((rule: unknown) =>
        isObject(rule) && typeof rule.limit === "number" && rule.limit > 10 ? { ...rule, limit: 10 } : rule,
      );
      return { ...step, retry: { ...retry, automatic } };
    }),
  };
}
