#!/usr/bin/env bun
// `bun run readmes [--check]`: rewrite (or verify) the catalog-generated sections and the GitHub
// workflows on the host.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { catalog } from "../src/catalog/catalog.ts";
import { GENERATED_FILES, regenerate } from "../src/docs/generated.ts";
import { InputError } from "../src/errors.ts";
import { renderWorkflows } from "../src/github/workflows.ts";
import { HostSource } from "../src/source/host.ts";
import { parseCli, main, writeFileAtomic } from "./io.ts";

function readGenerated(path: string, file: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new InputError(`${file}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`, {
      cause,
    });
  }
}

await main(async () => {
  const { values } = parseCli("usage: bun run readmes [--check] [--source DIR]", {
    check: { type: "boolean", default: false },
    source: { type: "string", default: "." },
  });
  const root = resolve(values.source);
  // Everything is rendered before anything is written: bad input (a config the workflows cannot
  // express, a missing README) leaves every file as it was.
  const stale = new Map<string, string>();
  for (const file of GENERATED_FILES) {
    const before = readGenerated(join(root, file), file);
    const after = regenerate(file, before);
    if (after !== before) stale.set(file, after);
  }
  // The GitHub workflows are generated whole.
  for (const [file, after] of await renderWorkflows(new HostSource(root), catalog)) {
    const path = join(root, file);
    if (!existsSync(path) || readFileSync(path, "utf8") !== after) stale.set(file, after);
  }
  if (!values.check) {
    for (const [file, after] of stale) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileAtomic(join(root, file), after);
    }
  }
  const verb = values.check ? "out of date" : "rewrote";
  process.stderr.write(
    stale.size
      ? `${verb}: ${[...stale.keys()].join(", ")}\n`
      : "generated sections and workflows are up to date\n",
  );
  return values.check && stale.size ? 1 : 0;
});
