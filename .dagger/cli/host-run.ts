#!/usr/bin/env bun
// `run-dagger.sh` under `run-pipeline.ts --host-checks`: instead of `dagger call <function> …`, run
// that catalog entry's host command. Directory and File arguments carry over as host paths;
// strings and secrets stay with Dagger.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { catalog, cliName, JUNIT_DIR } from "../src/catalog/catalog.ts";
import { InputError } from "../src/errors.ts";
import { main } from "./io.ts";

void main(async () => {
  const [fn, ...args] = process.argv.slice(2);
  const entry = catalog.find((e) => cliName(e.daggerFunction) === fn);
  if (!entry) throw new InputError(`host-run: no catalog entry has the Dagger function ${fn}`);
  if (!entry.hostCommand) throw new InputError(`host-run: ${fn} runs only in Dagger; it has no host command`);
  const paths = entry.arguments
    .filter((a) => a.type === "Directory" || a.type === "File")
    .map((a) => cliName(a.name));
  const carried = args.flatMap((arg) => {
    const m = /^--([a-z-]+)=(.*)$/s.exec(arg);
    return m && paths.includes(m[1] as string) ? [`--${m[1]}`, m[2] as string] : [];
  });
  // Inside a Buildkite job a check also writes JUnit where its step's artifact_paths look.
  const junit =
    process.env.BUILDKITE === "true" && entry.kind !== "step"
      ? ["--junit", `${JUNIT_DIR}/${entry.key}.xml`]
      : [];
  if (junit.length) mkdirSync(JUNIT_DIR, { recursive: true });
  // The host command is a catalog constant of plain words; the carried values are single arguments.
  const argv = [...entry.hostCommand.split(" "), ...carried, ...junit];
  process.stderr.write(`host-run: ${fn} → ${argv.join(" ")}\n`);
  const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: "inherit" });
  if (r.error) throw r.error;
  return r.status ?? 1;
});
