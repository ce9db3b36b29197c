#!/usr/bin/env bun
// The package's one command, `monorepo-ci <subcommand>`: each subcommand is the entry point this
// repository's own scripts run (`bun run check` is `monorepo-ci check`), started as its own bun
// process with the same flags, so the two paths cannot differ. The user's repository is the
// working directory; each entry point finds its own files beside itself.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { signalExitCode } from "../src/run/process-group.ts";

const HERE = import.meta.dir;
const ROOT = join(HERE, "..", "..");

/** Subcommand → entry point, relative to the package root, and what it does (for --help). */
const SUBCOMMANDS: Record<string, { entry: string; about: string }> = {
  init: { entry: ".dagger/cli/init.ts", about: "set this repository up: config, pipeline, dagger.json" },
  upgrade: { entry: ".dagger/cli/upgrade.ts", about: "move this repository to the installed version" },
  check: { entry: ".dagger/cli/check.ts", about: "run a check, or ci, on the host" },
  pipeline: { entry: ".buildkite/generate-pipeline.ts", about: "print the Buildkite pipeline" },
  run: { entry: ".buildkite/run-pipeline.ts", about: "run a Buildkite pipeline on this machine" },
  release: { entry: ".buildkite/scripts/release.ts", about: "cut a release" },
  readmes: { entry: ".dagger/cli/readmes.ts", about: "write the README table and GitHub workflows" },
  binaries: { entry: ".dagger/cli/binaries.ts", about: "build the configured binaries" },
  review: { entry: ".dagger/cli/review.ts", about: "review a pull request's changes" },
};

const USAGE = [
  "usage: monorepo-ci <subcommand> [options]",
  "",
  ...Object.entries(SUBCOMMANDS).map(([name, { about }]) => `  ${name.padEnd(10)}${about}`),
  "",
  "monorepo-ci <subcommand> --help shows a subcommand's options.",
].join("\n");

const [sub, ...rest] = process.argv.slice(2);
if (sub === undefined || sub === "--help" || sub === "-h") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(sub === undefined ? 2 : 0);
}
if (sub === "--version") {
  const { version } = (await Bun.file(join(ROOT, "package.json")).json()) as { version: string };
  process.stdout.write(`${version}\n`);
  process.exit(0);
}
const target = SUBCOMMANDS[sub];
if (!target) {
  process.stderr.write(`error: unknown subcommand "${sub}"\n${USAGE}\n`);
  process.exit(2);
}
// As the repository's scripts run them: no .env or bunfig of the user's repository reaches them.
const r = spawnSync(
  process.execPath,
  ["--no-env-file", "--config=/dev/null", join(ROOT, target.entry), ...rest],
  { stdio: "inherit" },
);
if (r.error) {
  process.stderr.write(`error: cannot start ${target.entry}: ${r.error.message}\n`);
  process.exit(1);
}
// A subcommand killed by a signal ends this process the way a shell reports it.
process.exit(r.status ?? signalExitCode(r.signal ?? "SIGTERM"));
