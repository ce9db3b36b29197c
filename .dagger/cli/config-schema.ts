#!/usr/bin/env bun
// `bun run config-schema [--check]`: writes (or verifies) the JSON Schema of monorepo-ci.json
// that the package carries, derived from the zod schema.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_SCHEMA_FILE, configJsonSchema } from "../src/config/json-schema.ts";
import { main, parseCli, writeFileAtomic } from "./io.ts";

await main(async () => {
  const { values } = parseCli("usage: bun run config-schema [--check]", {
    check: { type: "boolean", default: false },
  });
  const file = join(import.meta.dir, "..", "..", CONFIG_SCHEMA_FILE);
  const want = configJsonSchema();
  let have: string | undefined;
  try {
    have = readFileSync(file, "utf8");
  } catch {
    have = undefined;
  }
  if (values.check) {
    if (have === want) return 0;
    process.stderr.write(`${CONFIG_SCHEMA_FILE}: out of date; run bun run config-schema\n`);
    return 1;
  }
  if (have !== want) writeFileAtomic(file, want);
  process.stderr.write(`${have === want ? "unchanged" : "wrote"} ${CONFIG_SCHEMA_FILE}\n`);
  return 0;
});
