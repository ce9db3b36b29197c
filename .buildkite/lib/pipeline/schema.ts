import type { ErrorObject } from "ajv";
import validateSchema from "../../.build/pipeline-validate.mjs";

export type Problem = { path: string; message: string };

/** `/steps/3/depends_on/1` → `steps[3].depends_on[1]`, the way people read pipeline paths. */
export function pointerToPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

/**
 * Schema problems, most specific first: for a step that matches none of the step kinds, Ajv
 * reports every kind's complaint, and the deepest path is the one that names the real mistake.
 */
export function schemaProblems(doc: unknown): Problem[] {
  if (validateSchema(doc)) return [];
  const errors = [...(validateSchema.errors ?? [])].sort(
    (a: ErrorObject, b: ErrorObject) => b.instancePath.split("/").length - a.instancePath.split("/").length,
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of errors) {
    const path = pointerToPath(e.instancePath) || "(root)";
    if (seen.has(path)) continue;
    seen.add(path);
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    problems.push({ path, message: `${e.message ?? e.keyword}${extra}` });
  }
  return problems;
}
