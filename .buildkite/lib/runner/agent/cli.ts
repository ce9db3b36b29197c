#!/usr/bin/env bun
// The `buildkite-agent` that local jobs find on their PATH. It keeps meta-data, annotations,
// artifacts and uploaded pipelines in the build's directory, where the runner reads them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../../../../.dagger/src/errors.ts";
import type { PipelineDefinition, StepDefinition } from "../definition.ts";
import { loadPipeline } from "../load.ts";
import { downloadTarget } from "./artifacts.ts";
import { AgentStore } from "./store.ts";
import { main as runCli } from "../../../../.dagger/cli/io.ts";

const USAGE = `buildkite-agent (local stand-in): pipeline upload | meta-data set|get|exists|keys | annotate | artifact upload|download | env get`;

/**
 * An uploaded pipeline's top-level `env` applies to its steps, under each step's own `env`:
 * it is carried into them, since the build's environment is already set.
 */
function withPipelineEnv(pipeline: PipelineDefinition): PipelineDefinition {
  const carry = (steps: StepDefinition[]): StepDefinition[] =>
    steps.map((s) => ({ ...s, env: { ...pipeline.env, ...s.env }, steps: carry(s.steps) }));
  return { ...pipeline, steps: carry(pipeline.steps) };
}

async function stdinText(): Promise<string> {
  if (process.stdin.isTTY) return "";
  return await new Response(Bun.stdin.stream()).text();
}

function need(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new InputError(`buildkite-agent: ${name} is not set; run this inside a job of run-pipeline.ts`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const store = new AgentStore(need("MONOREPO_CI_AGENT_DIR"));
  const [group, command, ...rest] = argv;
  const parse = <O extends NonNullable<ParseArgsConfig["options"]>>(options: O) =>
    parseArgs({ args: rest, allowPositionals: true, options });
  switch (`${group} ${command}`) {
    case "pipeline upload": {
      const { positionals, values } = parse({
        "dry-run": { type: "boolean", default: false },
        "no-interpolation": { type: "boolean", default: false },
        replace: { type: "boolean", default: false },
      });
      const piped = positionals.length ? "" : await stdinText();
      // Several files upload in order, as the agent (3.104+) does; none means stdin or the default.
      const sources = positionals.length
        ? positionals.map((file) => ({ source: file, text: readFileSync(resolve(file), "utf8") }))
        : [
            piped.trim()
              ? { source: "(stdin)", text: piped }
              : {
                  source: ".buildkite/pipeline.yml",
                  text: readFileSync(resolve(".buildkite/pipeline.yml"), "utf8"),
                },
          ];
      for (const { source, text } of sources) {
        const { document, pipeline, warnings } = loadPipeline(text, source, {
          interpolate: !values["no-interpolation"],
          lookup: (n) => process.env[n],
          existingKeys: store.keys(),
        });
        for (const w of warnings) process.stderr.write(`buildkite-agent: warning: ${w}\n`);
        if (values["dry-run"]) {
          process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
          continue;
        }
        // --replace: the steps not yet started make way for these (with several files, the first
        // replaces and the rest follow it).
        store.addUpload(need("MONOREPO_CI_JOB"), {
          pipeline: withPipelineEnv(pipeline),
          replace: values.replace && source === sources[0]?.source,
        });
        process.stderr.write(`buildkite-agent: uploaded ${source}; its steps run after this job\n`);
      }
      return 0;
    }
    case "meta-data set": {
      const { positionals } = parse({});
      const [key, value] = positionals;
      if (!key) throw new InputError("buildkite-agent meta-data set KEY [VALUE]");
      store.setMeta(key, value ?? (await stdinText()));
      return 0;
    }
    case "meta-data get": {
      const { positionals, values } = parse({ default: { type: "string" } });
      const [key] = positionals;
      if (!key) throw new InputError("buildkite-agent meta-data get KEY [--default VALUE]");
      const value = store.getMeta(key) ?? (values.default as string | undefined);
      if (value === undefined) {
        process.stderr.write(`buildkite-agent: no meta-data for key "${key}"\n`);
        return 1;
      }
      process.stdout.write(value);
      return 0;
    }
    case "meta-data exists": {
      const [key] = parse({}).positionals;
      return key !== undefined && store.getMeta(key) !== undefined ? 0 : 100;
    }
    case "meta-data keys":
      process.stdout.write(
        Object.keys(store.metaData())
          .map((k) => `${k}\n`)
          .join(""),
      );
      return 0;
    case "artifact upload": {
      const [pattern] = parse({}).positionals;
      if (!pattern) throw new InputError("buildkite-agent artifact upload PATTERN[;PATTERN…]");
      const step = process.env.BUILDKITE_STEP_KEY || process.env.BUILDKITE_LABEL || "";
      const { paths, refused } = store.artifacts.upload(
        pattern,
        process.cwd(),
        need("MONOREPO_CI_JOB"),
        step,
      );
      for (const r of refused) {
        process.stderr.write(
          `buildkite-agent: ${r} not uploaded: it is a symlink leading out of the checkout\n`,
        );
      }
      process.stderr.write(`buildkite-agent: uploaded ${paths.length} artifact(s)\n`);
      return paths.length && !refused.length ? 0 : 1;
    }
    case "artifact download": {
      const { positionals, values } = parse({ step: { type: "string" } });
      const [pattern, dest = "."] = positionals;
      if (!pattern)
        throw new InputError(
          "buildkite-agent artifact download PATTERN[;PATTERN…] [DESTINATION] [--step KEY]",
        );
      // The destination is checked first, whether or not anything matches; then every target,
      // before anything is written.
      downloadTarget(dest, process.cwd(), ".");
      const hits = store.artifacts.find(pattern, values.step);
      const targets = hits.map((a) => [a, downloadTarget(dest, process.cwd(), a.path)] as const);
      await Promise.all(targets.map(([a, to]) => Bun.write(to, Bun.file(store.artifacts.file(a)))));
      if (!hits.length) process.stderr.write(`buildkite-agent: no artifacts match ${pattern}\n`);
      for (const [, to] of targets) process.stderr.write(`buildkite-agent: downloaded ${to}\n`);
      return hits.length ? 0 : 1;
    }
    case "env get": {
      const names = parse({ format: { type: "string" } }).positionals;
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !names.length || names.includes(k)),
      );
      process.stdout.write(
        names.length === 1 ? `${env[names[0] as string] ?? ""}\n` : `${JSON.stringify(env, null, 2)}\n`,
      );
      return 0;
    }
  }
  if (group === "annotate") {
    const { positionals, values } = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: { style: { type: "string" }, context: { type: "string" }, append: { type: "boolean" } },
    });
    const body = positionals[0] ?? (await stdinText());
    store.annotate(values.context ?? "default", values.style ?? "", body, values.append ?? false);
    return 0;
  }
  process.stderr.write(
    `buildkite-agent: "${argv.join(" ")}" is not supported by the local stand-in\n${USAGE}\n`,
  );
  return 1;
}

// Through the shared main(), so `meta-data get` output reaches a slow reader whole.
await runCli(async () => {
  try {
    return await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`buildkite-agent: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
});
