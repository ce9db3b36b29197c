#!/usr/bin/env bun
// `monorepo-ci upgrade [--dry-run] [--source DIR]`: after `bun add -d monorepo-ci@<version>`,
// moves the repository to the installed version: the files init wrote (its pipeline.yml, the
// generated workflows), dagger.json's toolchain reference, and the changelog entries in between. The user's own files and edits stay.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../src/errors.ts";
import { PACKAGE_ROOT, packageFacts } from "../src/init/package-facts.ts";
import { planUpgrade } from "../src/init/upgrade.ts";
import { workflowChanges } from "../src/init/workflow-changes.ts";
import { HostSource } from "../src/source/host.ts";
import { lineDiff } from "../src/text/line-diff.ts";
import { printable } from "../src/text/printable.ts";
import { fileReader, main, parseCli, writeFileAtomic } from "./io.ts";

await main(async () => {
  const { values } = parseCli("usage: monorepo-ci upgrade [--dry-run] [--source DIR]", {
    "dry-run": { type: "boolean", default: false },
    source: { type: "string", default: "." },
  });
  const root = resolve(values.source);
  const existing = fileReader(root);
  const { version, moduleRef } = packageFacts();
  const plan = planUpgrade({
    existing,
    version,
    moduleRef,
    changelog: readFileSync(join(PACKAGE_ROOT, "CHANGELOG.md"), "utf8"),
  });
  // The workflows init wrote (generated, by their header) follow the installed catalog too.
  const planned = new Map(plan.files.map((f) => [f.path, f.text]));
  const { ours } = await workflowChanges(new HostSource(root), planned, existing);
  plan.files.push(...ours.filter((f) => f.existed));
  if (!plan.files.length) {
    throw new InputError(
      `${values.source}: not set up by monorepo-ci init (no pipeline.yml or dagger.json of ours); run init`,
    );
  }
  const out = (line: string) => process.stdout.write(`${printable(line)}\n`);
  out(`monorepo-ci ${plan.from ?? "(unknown)"} → ${version}`);
  for (const f of plan.files) {
    if (f.action === "unchanged") {
      out(`unchanged ${f.path}`);
      continue;
    }
    out(`${values["dry-run"] ? "would update" : "updated"} ${f.path}: ${f.why}`);
    if (values["dry-run"]) for (const line of lineDiff(existing(f.path) ?? "", f.text)) out(`  ${line}`);
    else writeFileAtomic(join(root, f.path), f.text);
  }
  out("");
  if (plan.entries.length) {
    out(`changes since ${plan.from ?? "the start"}:`);
    for (const entry of plan.entries) out(entry);
  } else {
    out(`no released changelog entries between ${plan.from ?? "the start"} and ${version}`);
  }
  return 0;
});
