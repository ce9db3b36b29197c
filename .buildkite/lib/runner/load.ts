import { isScalar, parseAllDocuments } from "yaml";
import { InputError } from "../../../.dagger/src/errors.ts";
import { agentForm, schemaView } from "./agent-form.ts";
import { checkJobCount } from "./limits.ts";
import { validatePipeline } from "../pipeline/validate.ts";
import { definePipeline, type PipelineDefinition } from "./definition.ts";
import { interpolatePipeline, riskWarnings, type Lookup } from "./interpolate.ts";

export type LoadOptions = {
  /** Upload-time interpolation; off with --no-interpolation. */
  interpolate: boolean;
  lookup: Lookup;
  /** Keys already in the build (a dynamic upload may depend on them, not reuse them). */
  existingKeys?: ReadonlySet<string>;
  /** Jobs already in the build, for the per-build limit. */
  existingJobs?: number;
};

/** How many alias expansions a file may make: real pipelines use dozens; a bomb, millions. */
export const MAX_ALIASES = 10_000;

/** `<<` merge keys may repeat in one mapping, as the agent's YAML parser allows; other keys not. */
function uniqueKeys(a: unknown, b: unknown): boolean {
  const merge = (k: unknown) => isScalar(k) && k.value === "<<";
  if (merge(a) || merge(b)) return false;
  return isScalar(a) && isScalar(b) ? a.value === b.value : a === b;
}

function asPipeline(value: unknown, file: string): Record<string, unknown> {
  if (Array.isArray(value)) return { steps: value };
  if (!value || typeof value !== "object")
    throw new InputError(`${file}: a pipeline is a mapping with "steps" (or a list of steps)`);
  return value as Record<string, unknown>;
}

/**
 * YAML or JSON (JSON is YAML), read the way the agent reads it: merge keys (`<<`, several per
 * mapping, `!!merge`), aliases up to MAX_ALIASES expansions, and several `---` documents, whose
 * steps follow one another and whose env and agents merge in order. A bare list of steps is a
 * pipeline too.
 */
export function parsePipelineText(text: string, file: string): Record<string, unknown> {
  const docs = parseAllDocuments(text, { prettyErrors: true, merge: true, uniqueKeys });
  if (!Array.isArray(docs)) return {};
  const pipelines = docs.map((doc) => {
    const [error] = doc.errors;
    if (error) throw new InputError(`${file}: ${error.message}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      // The yaml library's guard against alias bombs ("Excessive alias count").
      throw new InputError(`${file}: ${(error as Error).message} (at most ${MAX_ALIASES} alias expansions)`);
    }
    return asPipeline(value, file);
  });
  if (pipelines.length === 1) return pipelines[0] as Record<string, unknown>;
  if (!pipelines.length) throw new InputError(`${file}: the file holds no pipeline`);
  const merged: Record<string, unknown> = {};
  for (const p of pipelines) {
    for (const [key, value] of Object.entries(p)) {
      if (key === "steps")
        merged.steps = [...((merged.steps as unknown[]) ?? []), ...((value as unknown[]) ?? [])];
      else if (key === "env" || key === "agents")
        merged[key] = { ...(merged[key] as object), ...(value as object) };
      else merged[key] = value;
    }
  }
  return merged;
}

export type Loaded = {
  /** The pipeline as the agent would accept it: interpolated, in the agent's form. */
  document: Record<string, unknown>;
  pipeline: PipelineDefinition;
  /** For the one who uploads: what the upload accepted but may not mean (interpolate.ts). */
  warnings: string[];
};

/** Parse, interpolate, validate, define: what `buildkite-agent pipeline upload` does before accepting. */
export function loadPipeline(text: string, file: string, options: LoadOptions): Loaded {
  const parsed = parsePipelineText(text, file);
  const risks = new Map<string, string[]>();
  const onRisk = (name: string, where: string) => risks.set(name, [...(risks.get(name) ?? []), where]);
  const document = agentForm(
    options.interpolate ? interpolatePipeline(parsed, options.lookup, onRisk) : parsed,
  );
  validatePipeline(schemaView(document), file, { existing: options.existingKeys, laterKeys: true });
  const pipeline = definePipeline(document, file);
  checkJobCount(pipeline, file, options.existingJobs ?? 0);
  return { document, pipeline, warnings: riskWarnings(file, risks) };
}
