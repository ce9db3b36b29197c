#!/usr/bin/env bun
// bun .buildkite/scripts/release-notes.ts vX.Y.Z [--changelog PATH]: exactly that version's section
// body from a Keep a Changelog file, for the GitHub Release. An unknown version exits 2.
import { readFileSync } from "node:fs";
import { parseCli, main } from "../../.dagger/cli/io.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import { sectionBody } from "../../.dagger/src/release/changelog.ts";

const USAGE = "usage: bun .buildkite/scripts/release-notes.ts vX.Y.Z [--changelog PATH]";

void main(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    { changelog: { type: "string", default: "CHANGELOG.md" } },
    true,
  );
  const [version, ...extra] = positionals;
  if (!version || extra.length) throw new InputError(`expected exactly one version\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(values.changelog, "utf8");
  } catch (cause) {
    throw new InputError(`--changelog ${values.changelog}: ${(cause as Error).message}`, { cause });
  }
  process.stdout.write(`${sectionBody(text, version)}\n`);
  return 0;
});
