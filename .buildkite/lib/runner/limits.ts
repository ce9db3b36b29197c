import { InputError } from "../../../.dagger/src/errors.ts";
import { eachDefinition, type PipelineDefinition, type StepDefinition } from "./definition.ts";

/**
 * Bounds on what a build may create, so a step that uploads itself stops and a 10⁶-combination
 * matrix is refused before it is expanded. Modelled on Buildkite's platform limits; a real
 * organisation's may differ.
 */
export const MAX_JOBS_PER_UPLOAD = 500;
export const MAX_JOBS_PER_BUILD = 4000;

/** The jobs one step makes; matrix sizes were already bounded when it was defined. */
export function jobsOf(step: StepDefinition): number {
  if (step.kind === "wait" || step.kind === "group") return 0;
  return step.matrix ? step.matrix.length : step.parallelism;
}

/**
 * The jobs a pipeline would add, checked against the limits. Throws InputError naming the step;
 * nothing is planned.
 */
export function checkJobCount(pipeline: PipelineDefinition, file: string, existing: number): number {
  let total = 0;
  for (const step of eachDefinition(pipeline.steps)) {
    const jobs = jobsOf(step);
    if (jobs > MAX_JOBS_PER_UPLOAD) {
      throw new InputError(
        `${file}: ${step.path}: makes ${jobs} jobs; one upload may make at most ${MAX_JOBS_PER_UPLOAD}`,
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
