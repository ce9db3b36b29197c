import schema from "../../schema/pipeline.schema.json" with { type: "json" };
import type { Problem } from "./schema.ts";

/**
 * What kind of step a mapping is, and which properties that kind may have: the rules
 * `buildkite-agent pipeline upload` and Buildkite's upload API apply before anything runs.
 *
 * - The agent (buildkite/go-pipeline, steps.go) reads an explicit `type` (`command`/`script`,
 *   `wait`/`waiter`, `block`, `input`, `trigger`, `group`; any other is "unknown step type"),
 *   else infers the kind from the keys: `command`, `commands` or `plugins` make a command step,
 *   then `wait`/`waiter`, `block`, `input`, `trigger`, `group`.
 * - A mapping with none of them is passed on, and the API rejects it: "Step is missing a type"
 *   (buildkite/pipeline-schema issue 68).
 * - Every kind has a fixed set of properties; the API rejects any other, naming it: "`shell` is
 *   not a valid property on the `command` step", "`env` is not a valid property on a step group"
 *   (public builds, 2022 to 2026). The sets are the official schema's, plus the agent's aliases.
 */

export type StepKind = "command" | "wait" | "block" | "input" | "trigger" | "group";

const BY_TYPE: Record<string, StepKind> = {
  command: "command",
  script: "command",
  wait: "wait",
  waiter: "wait",
  block: "block",
  input: "input",
  trigger: "trigger",
  group: "group",
};

/** The agent's inference order: the first kind whose key the step has. */
const INFERRED: [StepKind, string[]][] = [
  ["command", ["command", "commands", "plugins"]],
  ["wait", ["wait", "waiter"]],
  ["block", ["block"]],
  ["input", ["input"]],
  ["trigger", ["trigger"]],
  ["group", ["group"]],
];

const props = (name: keyof typeof schema.definitions) =>
  Object.keys((schema.definitions[name] as { properties: object }).properties);

/** Each kind's properties: the schema's, and the agent's aliases (`timeout`, `waiter`). */
const PROPERTIES: Record<StepKind, Set<string>> = {
  command: new Set([...props("commandStep"), "timeout"]),
  wait: new Set([...props("waitStep"), "waiter"]),
  block: new Set(props("blockStep")),
  input: new Set(props("inputStep")),
  trigger: new Set(props("triggerStep")),
  group: new Set(props("groupStep")),
};

/** How the API names each kind in its messages. */
const NAMED: Record<StepKind, string> = {
  command: "on the `command` step",
  wait: "on the `wait` step",
  block: "on the `block` step",
  input: "on the `input` step",
  trigger: "on the `trigger` step",
  group: "on a step group",
};

/** A step's kind, or why the upload refuses it. */
export function stepKind(step: Record<string, unknown>): StepKind | { problem: string } {
  if ("type" in step) {
    if (typeof step.type !== "string") return { problem: "the step's `type` must be a string" };
    return BY_TYPE[step.type] ?? { problem: `unknown step type ${JSON.stringify(step.type)}` };
  }
  for (const [kind, keys] of INFERRED) if (keys.some((k) => k in step)) return kind;
  // The agent's message prints the step; its values may hold interpolated secrets, so only the
  // keys are named here.
  const keys = Object.keys(step);
  return { problem: `Step is missing a type (its keys: ${keys.join(", ") || "none"})` };
}

/** Edit distance, for "perhaps you meant": small strings, so the plain table is enough. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The API's tail: a near property it suggests, else the pointer to the docs. */
function suggestion(key: string, kind: StepKind): string {
  const near = [...PROPERTIES[kind]]
    .map((p) => ({ p, d: distance(key, p) }))
    .filter(({ d }) => d <= 2 && d < key.length)
    .sort((x, y) => x.d - y.d || x.p.localeCompare(y.p))[0];
  return near
    ? `, perhaps you meant \`${near.p}\`?`
    : ". Please check the documentation to get a full list of supported properties.";
}

/** The properties of a step of this kind that the upload refuses, one problem each. */
export function propertyProblems(step: Record<string, unknown>, kind: StepKind, path: string): Problem[] {
  return Object.keys(step)
    .filter((key) => !PROPERTIES[kind].has(key))
    .map((key) => ({
      path: `${path}.${key}`,
      message: `\`${key}\` is not a valid property ${NAMED[kind]}${suggestion(key, kind)}`,
    }));
}
