#!/usr/bin/env bun
// `bun run binaries [--source DIR] [--out DIR]`: the executables monorepo-ci.json declares, for
// every target, with a SHA256SUMS file, built on this host as the engine builds them.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { checksumsText, CHECKSUMS_FILE, compileArgv, planBinaries } from "../src/binaries/plan.ts";
import { loadContext } from "../src/checks/context.ts";
import { InputError } from "../src/errors.ts";
import { HostSource } from "../src/source/host.ts";
import { assertWritable, main, parseCli, writeFileAtomic } from "./io.ts";

const USAGE = "usage: bun run binaries [--source DIR] [--out DIR]";

await main(async () => {
  const { values } = parseCli(USAGE, {
    source: { type: "string", default: "." },
    out: { type: "string", default: "dist/bin" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const view = new HostSource(values.source);
  // Planned first: a bad package, entry or target stops here, before anything is written.
  const builds = await planBinaries(await loadContext(view));
  if (!builds.length) throw new InputError("monorepo-ci.json: binaries declares no executable to build");
  const out = resolve(values.out);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new InputError(`--out ${values.out}: cannot write there: it is not a directory`);
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new InputError(`--out ${values.out}: cannot write there: ${(error as Error).message}`);
  }
  assertWritable(join(out, CHECKSUMS_FILE), "--out");
  const sums: { file: string; sha256: string }[] = [];
  for (const b of builds) {
    const outfile = join(out, b.file);
    process.stderr.write(`▶ ${b.file}\n`);
    const r = Bun.spawnSync(compileArgv(b, outfile), {
      cwd: join(view.root, b.cwd),
      stdout: "pipe",
      stderr: "pipe",
    });
    if (r.exitCode !== 0) {
      process.stderr.write(`${r.stdout.toString()}${r.stderr.toString()}`);
      process.stderr.write(`✘ ${b.file}: bun build --compile exited ${r.exitCode} in ${b.cwd}\n`);
      return 1;
    }
    sums.push({ file: b.file, sha256: createHash("sha256").update(readFileSync(outfile)).digest("hex") });
  }
  writeFileAtomic(join(out, CHECKSUMS_FILE), checksumsText(sums));
  process.stdout.write(`${sums.map((s) => join(out, s.file)).join("\n")}\n${join(out, CHECKSUMS_FILE)}\n`);
  return 0;
});
