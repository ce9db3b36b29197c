// The JSON Schema the package carries for monorepo-ci.json is the zod schema's, kept current.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_SCHEMA_FILE, configJsonSchema } from "../../.dagger/src/config/json-schema.ts";
import { runCli, REPO } from "../support/helpers.ts";

describe("monorepo-ci.json's JSON Schema", () => {
  test("the committed file is what the zod schema gives (bun run config-schema rewrites it)", () => {
    expect(readFileSync(join(REPO, CONFIG_SCHEMA_FILE), "utf8")).toBe(configJsonSchema());
    const check = runCli(".dagger/cli/config-schema.ts", ["--check"]);
    expect(check.code).toBe(0);
  });

  test("it names every top-level key the loader accepts, $schema included, and no other", () => {
    const schema = JSON.parse(configJsonSchema()) as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(Object.keys(schema.properties)).toContain("$schema");
    expect(Object.keys(schema.properties)).toContain("exemptions");
    expect(schema.additionalProperties).toBe(false);
  });
});
