#!/usr/bin/env bun
// Turns the catalog into this build's Buildkite pipeline. stdout carries only the pipeline, and only
// once it is complete and valid; every log line goes to stderr.
import { catalog } from "../.dagger/src/catalog/catalog.ts";
import { decide } from "../.dagger/src/changes/rules.ts";
import { parseCli, main } from "../.dagger/cli/io.ts";
import { monorepoToolchain } from "../.dagger/src/config/dagger-json.ts";
import { loadConfig } from "../.dagger/src/config/load.ts";
import { MODULE_REF } from "../.dagger/src/init/package-facts.ts";
import { InputError } from "../.dagger/src/errors.ts";
import { table } from "../.dagger/src/plan/render.ts";
import { HostSource } from "../.dagger/src/source/host.ts";
import { detectChange } from "./lib/changes.ts";
import { buildContext, parseEnv } from "./lib/env.ts";
import { git } from "./lib/git.ts";
import { validatePipeline } from "./lib/pipeline/validate.ts";
import { assemble, escapeInterpolation } from "./lib/steps.ts";

const USAGE = "usage: bun .buildkite/generate-pipeline.ts [--format json|yaml] [--explain]";
const log = (line: string) => process.stderr.write(`generate-pipeline: ${line}\n`);

void main(async () => {
  const { values } = parseCli(USAGE, {
    format: { type: "string", default: "json" },
    explain: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (values.format !== "json" && values.format !== "yaml") {
    throw new InputError(`--format ${values.format}: expected json or yaml\n${USAGE}`);
  }
  const cwd = process.cwd();
  const env = parseEnv(process.env);
  const head =
    env.BUILDKITE_BRANCH === undefined ? git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]) : undefined;
  const ctx = buildContext(env, head?.ok ? head.stdout.trim() : "");
  const source = new HostSource(cwd);
  const config = await loadConfig(source);
  const toolchain = monorepoToolchain(await source.readText("dagger.json"), MODULE_REF);

  const detected = detectChange(ctx, cwd, catalog);
  for (const w of detected.warnings) log(`warning: ${w}`);
  log(
    `${ctx.kind} build; ${detected.base ? `diff base ${detected.base.slice(0, 12)}, ${detected.files} changed file(s)` : "no diff base"}; ${detected.change.kind}`,
  );

  const { pipeline, rows } = assemble(catalog, decide(detected.change, catalog), ctx, {
    ...config,
    toolchain,
  });
  const output = escapeInterpolation(pipeline);
  validatePipeline(output, "generated pipeline");

  if (values.explain) {
    const lines = rows.map((r) => [r.key, r.included ? "included" : "skipped", r.reason]);
    process.stderr.write(`${table([["step", "decision", "why"], ...lines])}\n`);
  }
  // yaml is loaded only when asked for: it costs more start-up time than everything else here.
  const text =
    values.format === "yaml"
      ? (await import("yaml")).stringify(output)
      : `${JSON.stringify(output, null, 2)}\n`;
  process.stdout.write(text);
  return 0;
});
