#!/usr/bin/env bun
// `bun run readmes [--check]`: rewrite (or verify) the catalog-generated sections on the host.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GENERATED_FILES, regenerate } from "../src/docs/generated.ts";
import { parseCli, main, writeFileAtomic } from "./io.ts";

await main(async () => {
  const { values } = parseCli("usage: bun run readmes [--check] [--source DIR]", {
    check: { type: "boolean", default: false },
    source: { type: "string", default: "." },
  });
  const stale: string[] = [];
  for (const file of GENERATED_FILES) {
    const path = join(resolve(values.source), file);
    const before = readFileSync(path, "utf8");
    const after = regenerate(file, before);
    if (after === before) continue;
    stale.push(file);
    if (!values.check) writeFileAtomic(path, after);
  }
  const verb = values.check ? "out of date" : "rewrote";
  process.stderr.write(
    stale.length ? `${verb}: ${stale.join(", ")}\n` : "generated sections are up to date\n",
  );
  return values.check && stale.length ? 1 : 0;
});
