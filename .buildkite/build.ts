#!/usr/bin/env bun
// Run by `bun install` (postinstall): compiles the vendored pipeline schema into Ajv's standalone
// validator, so no run of the generator or the local runner pays for compiling it (~150 ms).
// The output is derived, so it is git-ignored; a test checks that it matches the schema.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";

// CommonJS with a `default` export; require() reads it the same way under tsc and bun.
const { default: standaloneCode } = createRequire(import.meta.url)(
  "ajv/dist/standalone",
) as typeof import("ajv/dist/standalone/index.js");

export const OUT_DIR = new URL("./.build/", import.meta.url);
export const VALIDATOR = new URL("pipeline-validate.mjs", OUT_DIR);

/** The standalone module's source for the vendored schema. */
export function validatorSource(): string {
  const schema = JSON.parse(readFileSync(new URL("./schema/pipeline.schema.json", import.meta.url), "utf8"));
  // Non-strict: the schema carries a top-level `fileMatch` keyword Ajv does not know. The one
  // `format: regex` (an input field's pattern) is checked by the semantic pass instead.
  const ajv = new Ajv({ strict: false, code: { source: true, esm: true, optimize: true } });
  ajv.addFormat("regex", true);
  return standaloneCode(ajv, ajv.compile(schema));
}

if (import.meta.main) {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(VALIDATOR, validatorSource());
  process.stderr.write(`wrote ${VALIDATOR.pathname}\n`);
}
