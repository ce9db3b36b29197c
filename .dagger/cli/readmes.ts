#!/usr/bin/env bun
// `bun run readmes [--check] [--force]`: rewrite (or verify) the catalog-generated sections and
// the GitHub workflows on the host.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { catalog, configuredEntries } from "../src/catalog/catalog.ts";
import { loadConfig } from "../src/config/load.ts";
import { GENERATED_FILES, regenerate } from "../src/docs/generated.ts";
import { InputError } from "../src/errors.ts";
import { isGeneratedWorkflow, renderWorkflows } from "../src/github/workflows.ts";
import { HostSource } from "../src/source/host.ts";
import { parseCli, main, writeFileAtomic } from "./io.ts";

const USAGE = "usage: bun run readmes [--check] [--force] [--source DIR]";

await main(async () => {
  const { values } = parseCli(USAGE, {
    check: { type: "boolean", default: false },
    force: { type: "boolean", default: false },
    source: { type: "string", default: "." },
  });
  const root = resolve(values.source);
  const view = new HostSource(root);
  const entries = configuredEntries(catalog, await loadConfig(view));
  // Everything is rendered and checked before anything is written: bad input (a config the
  // workflows cannot express, a workflow of the team's own) leaves every file as it was.
  const stale = new Map<string, string>();
  const notes: string[] = [];
  for (const file of GENERATED_FILES) {
    const path = join(root, file);
    if (!existsSync(path)) {
      notes.push(`${file}: not there, so its generated section is not written`);
      continue;
    }
    const before = readFileSync(path, "utf8");
    const { text, unmarked } = regenerate(file, before, entries);
    notes.push(...unmarked);
    if (text !== before) stale.set(file, text);
  }
  const foreign: string[] = [];
  for (const [file, after] of await renderWorkflows(view, catalog)) {
    const path = join(root, file);
    const before = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (before === after) continue;
    if (before !== undefined && !isGeneratedWorkflow(before) && !values.force) foreign.push(file);
    stale.set(file, after);
  }
  if (foreign.length && !values.check) {
    throw new InputError(
      `${foreign.join(", ")}: not written by monorepo-ci, so not overwritten; move it aside, or pass --force to replace it with the generated one`,
    );
  }
  if (!values.check) {
    for (const [file, after] of stale) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileAtomic(join(root, file), after);
    }
  }
  for (const note of notes) process.stderr.write(`note: ${note}\n`);
  const verb = values.check ? "out of date" : "rewrote";
  process.stderr.write(
    stale.size
      ? `${verb}: ${[...stale.keys()].join(", ")}\n`
      : "generated sections and workflows are up to date\n",
  );
  return values.check && stale.size ? 1 : 0;
});
