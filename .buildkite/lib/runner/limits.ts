import { InputError } from "../../../.dagger/src/errors.ts";
import { walkSteps } from "../pipeline/walk.ts";

/**
 * Bounds on what a build may create, so a step that uploads itself stops and a 10⁶-combination
 * matrix is refused before it is expanded. Modelled on Buildkite's platform limits; a real
 * organisation's may differ.
 */
export const MAX_JOBS_PER_UPLOAD = 500;
export const MAX_JOBS_PER_BUILD = 4000;

const NO_JOBS = ["wait", "waiter", "group"];

/** How many jobs a matrix makes, counted without expanding it. */
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

/**
 * The jobs a document would add, checked against the limits and Buildkite's refusals: a matrix
 * cannot be combined with parallelism. Throws InputError naming the step; nothing is planned.
 */
export function checkJobCount(doc: { steps?: unknown }, file: string, existing: number): number {
  let total = 0;
  for (const { path, step } of walkSteps(doc.steps)) {
    if (NO_JOBS.some((k) => k in step) || step.type === "wait" || step.type === "waiter") continue;
    if (step.matrix !== undefined && step.parallelism !== undefined) {
      throw new InputError(`${file}: ${path}: a matrix step cannot also set parallelism`);
    }
    const jobs =
      step.matrix !== undefined
        ? matrixSize(step.matrix)
        : typeof step.parallelism === "number" && step.parallelism > 1
          ? step.parallelism
          : 1;
    if (jobs > MAX_JOBS_PER_UPLOAD) {
      throw new InputError(
        `${file}: ${path}: makes ${jobs} jobs; one upload may make at most ${MAX_JOBS_PER_UPLOAD}`,
      );
    }
    total += jobs;
  }
  if (total > MAX_JOBS_PER_UPLOAD) {
    throw new InputError(`${file}: makes ${total} jobs; one upload may make at most ${MAX_JOBS_PER_UPLOAD}`);
  }
  if (existing + total > MAX_JOBS_PER_BUILD) {
    throw new InputError(
      `${file}: the build would have ${existing + total} jobs; a build may have at most ${MAX_JOBS_PER_BUILD}`,
    );
  }
  return total;
}
