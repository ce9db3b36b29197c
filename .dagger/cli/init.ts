#!/usr/bin/env bun
// `monorepo-ci init [--dry-run] [--no-workflows] [--source DIR]`: wires a repository to the
// installed package: monorepo-ci.json, a one-step .buildkite/pipeline.yml, .gitignore entries,
// dagger.json's toolchain and the GitHub workflows. Idempotent; a file it did not write is never
// overwritten: it is named, with what to do, and everything else is still written.
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { chooseTools } from "../src/checks/quality/tools.ts";
import { MonorepoConfig } from "../src/config/schema.ts";
import { InputError } from "../src/errors.ts";
import { packageFacts } from "../src/init/package-facts.ts";
import { planInit } from "../src/init/plan.ts";
import { workflowChanges } from "../src/init/workflow-changes.ts";
import { HostSource } from "../src/source/host.ts";
import { printable } from "../src/text/printable.ts";
import { discoverWorkspace } from "../src/workspace/discover.ts";
import { assertBunRepository } from "../src/workspace/package-manager.ts";
import { lineDiff } from "../src/text/line-diff.ts";
import { fileReader, main, parseCli, writeFileAtomic } from "./io.ts";

const USAGE = "usage: monorepo-ci init [--dry-run] [--no-workflows] [--source DIR]";
const DONE = { create: "created", update: "updated", unchanged: "unchanged" } as const;

await main(async () => {
  const { values } = parseCli(USAGE, {
    "dry-run": { type: "boolean", default: false },
    "no-workflows": { type: "boolean", default: false },
    source: { type: "string", default: "." },
  });
  const root = resolve(values.source);
  if (!existsSync(join(root, "package.json"))) {
    throw new InputError(`${values.source}: no package.json here; run init at your repository's root`);
  }
  const view = new HostSource(root);
  const workspace = await discoverWorkspace(view);
  const rootFiles = (await view.listFiles()).filter((f) => !f.includes("/"));
  assertBunRepository(new Set(rootFiles), workspace);
  const existing = fileReader(root);
  const plan = planInit({
    existing,
    workspace,
    tools: chooseTools(MonorepoConfig.parse({}), workspace, rootFiles),
    ...packageFacts(),
    repoName: basename(root),
  });
  // The workflows, rendered from the repository as init will leave it (its dagger.json, its
  // config). They go together: if one of them is the team's own, neither is written.
  const planned = new Map(plan.files.filter((f) => f.action !== "unchanged").map((f) => [f.path, f.text]));
  const { ours, theirs } = values["no-workflows"]
    ? { ours: [], theirs: [] }
    : await workflowChanges(view, planned, existing);
  for (const path of theirs) {
    plan.refused.push({
      path,
      why: "a workflow of yours, so neither generated workflow was written; move it aside and run init again to use them, or pass --no-workflows",
    });
  }
  if (!theirs.length) plan.files.push(...ours);
  const out = (line: string) => process.stdout.write(`${printable(line)}\n`);
  const changes = plan.files.filter((f) => f.action !== "unchanged");
  for (const f of plan.files) {
    if (values["dry-run"] && f.action !== "unchanged") {
      out(`would ${f.action} ${f.path}: ${f.why}`);
      for (const line of lineDiff(existing(f.path) ?? "", f.text)) out(`  ${line}`);
    } else {
      out(`${DONE[f.action]} ${f.path}: ${f.why}`);
    }
  }
  if (!values["dry-run"]) {
    for (const f of changes) {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileAtomic(join(root, f.path), f.text);
    }
  }
  // A file of the team's own is never overwritten: it stays as it is, and init says which.
  for (const r of plan.refused) out(`not overwritten ${r.path}: ${r.why}`);
  out("");
  out("found:");
  for (const d of plan.detected) out(`  ${d}`);
  if (!changes.length) out("nothing to change: this repository is already set up");
  out("next:");
  for (const n of plan.next) out(`  ${n}`);
  return 0;
});
