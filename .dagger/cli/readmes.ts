#!/usr/bin/env bun
// `bun run readmes [--check]`: rewrite (or verify) the catalog-generated sections and the GitHub
// workflows on the host.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { catalog } from "../src/catalog/catalog.ts";
import { GENERATED_FILES, regenerate } from "../src/docs/generated.ts";
import { renderWorkflows } from "../src/github/workflows.ts";
import { HostSource } from "../src/source/host.ts";
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
  // The GitHub workflows are generated whole.
  for (const [file, after] of await renderWorkflows(new HostSource(values.source), catalog)) {
    const path = join(resolve(values.source), file);
    if (existsSync(path) && readFileSync(path, "utf8") === after) continue;
    stale.push(file);
    if (values.check) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, after);
  }
  const verb = values.check ? "out of date" : "rewrote";
  process.stderr.write(
    stale.length ? `${verb}: ${stale.join(", ")}\n` : "generated sections and workflows are up to date\n",
  );
  return values.check && stale.length ? 1 : 0;
});
