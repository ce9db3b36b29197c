import { z } from "zod";
import { MonorepoConfig } from "./schema.ts";

/** Where the package carries the config's JSON Schema, for `$schema` in monorepo-ci.json. */
export const CONFIG_SCHEMA_FILE = ".dagger/schema/monorepo-ci.schema.json";

/**
 * monorepo-ci.json's JSON Schema, derived from the zod schema that parses it (as the user writes
 * it: defaults optional), so an editor completes and checks exactly what the loader accepts.
 */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(MonorepoConfig, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "monorepo-ci.json" }, null, 2)}\n`;
}
