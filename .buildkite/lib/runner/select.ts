import { InputError } from "../../../.dagger/src/errors.ts";
import type { Graph } from "./plan.ts";

/**
 * `--step KEY`: those steps, everything they depend on (transitively, waits included) and a
 * selected group's children run; every other step is skipped and says so.
 */
export function selectSteps(graph: Graph, keys: string[]): void {
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    const node = graph.steps.get(id);
    for (const d of node?.deps ?? []) add(d.step);
    for (const c of node?.children ?? []) add(c);
  };
  for (const key of keys) {
    const id = graph.keys.get(key);
    if (!id)
      throw new InputError(
        `--step ${key}: no step has that key (keys: ${[...graph.keys.keys()].join(", ") || "none"})`,
      );
    add(id);
  }
  for (const node of graph.steps.values()) {
    if (!wanted.has(node.id)) node.skip ??= `not selected (--step ${keys.join(", ")})`;
  }
}

/** The planned graph as data, for --dry-run and --list. */
export function describeGraph(graph: Graph) {
  const label = (id: string) => graph.steps.get(id)?.key ?? graph.steps.get(id)?.label ?? id;
  return [...graph.steps.values()].map((s) => ({
    id: s.id,
    key: s.key,
    kind: s.kind,
    label: s.label,
    path: s.path,
    depends_on: s.deps.map((d) => ({ step: label(d.step), allow_failure: d.allowFailure })),
    skip: s.skip,
    jobs: s.jobs.map((j) => {
      const job = graph.jobs.get(j);
      return {
        id: j,
        label: job?.label,
        parallel_job: job?.parallel?.index ?? null,
        matrix: job?.matrix ?? null,
        skip: s.skip ?? job?.skip ?? null,
        commands: job?.commands ?? [],
      };
    }),
  }));
}
