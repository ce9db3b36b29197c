import { parseDocument } from "yaml";
import { InputError } from "../../../.dagger/src/errors.ts";
import { PipelineError, validatePipeline } from "../pipeline/validate.ts";
import { walkSteps } from "../pipeline/walk.ts";
import { ExprError, parseExpr } from "./expr.ts";
import { interpolatePipeline, type Lookup } from "./interpolate.ts";

export type LoadOptions = {
  /** Upload-time interpolation; off with --no-interpolation. */
  interpolate: boolean;
  lookup: Lookup;
  /** Keys already in the build (a dynamic upload may depend on them, not reuse them). */
  existingKeys?: ReadonlySet<string>;
};

/** YAML or JSON (JSON is YAML); a bare list of steps is a pipeline too. */
export function parsePipelineText(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) throw new InputError(`${file}: ${error.message}`);
  const value: unknown = doc.toJS();
  if (Array.isArray(value)) return { steps: value };
  if (!value || typeof value !== "object")
    throw new InputError(`${file}: a pipeline is a mapping with "steps" (or a list of steps)`);
  return value as Record<string, unknown>;
}

/** Every `if` must parse; a condition that cannot is an error with its path, not a skipped step. */
function checkConditions(doc: Record<string, unknown>, file: string): void {
  const problems = walkSteps(doc.steps).flatMap(({ path, step }) => {
    if (typeof step.if !== "string") return [];
    try {
      parseExpr(step.if);
      return [];
    } catch (error) {
      if (error instanceof ExprError) return [{ path: `${path}.if`, message: error.message }];
      throw error;
    }
  });
  if (problems.length) throw new PipelineError(file, problems);
}

/** Parse, interpolate, validate: what `buildkite-agent pipeline upload` does before accepting. */
export function loadPipeline(text: string, file: string, options: LoadOptions): Record<string, unknown> {
  const parsed = parsePipelineText(text, file);
  const doc = options.interpolate ? interpolatePipeline(parsed, options.lookup) : parsed;
  validatePipeline(doc, file, options.existingKeys);
  checkConditions(doc, file);
  return doc;
}
