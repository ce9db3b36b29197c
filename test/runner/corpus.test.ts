// Real pipelines from public projects (see corpus/SOURCES.md), planned with --dry-run as
// `buildkite-agent pipeline upload` would accept them. A refusal here is a fidelity bug, except
// for the files in corpus/refused.json, which Buildkite's upload refuses today, with that message.
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { capture } from "../support/process.ts";
import { tempDir } from "../support/git.ts";
import { REPO } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const CORPUS = join(import.meta.dir, "corpus");
const files = readdirSync(CORPUS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const env = JSON.parse(readFileSync(join(CORPUS, "env.json"), "utf8")) as Record<string, string>;
const refused = JSON.parse(readFileSync(join(CORPUS, "refused.json"), "utf8")) as Record<string, string>;
const dir = tempDir("corpus");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the corpus spans at least 30 files from at least 10 organisations, each with its source", () => {
  const orgs = new Set(files.map((f) => f.split("__")[0]));
  expect(files.length).toBeGreaterThanOrEqual(30);
  expect(orgs.size).toBeGreaterThanOrEqual(10);
  const sources = readFileSync(join(CORPUS, "SOURCES.md"), "utf8");
  for (const f of files) expect(sources).toContain(`\`${f}\``);
  for (const f of Object.keys(refused)) expect(files).toContain(f);
});

test.each(files)("%s is accepted and planned, or refused as Buildkite refuses it", async (file) => {
  const r = await capture(
    [
      "bun",
      join(REPO, ".buildkite/run-pipeline.ts"),
      join(CORPUS, file),
      "--dry-run",
      "--json",
      "--dir",
      dir,
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } },
  );
  const refusal = refused[file];
  if (refusal) {
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(refusal);
    expect(r.stdout).toBe("");
    return;
  }
  expect(r.stderr).not.toContain("error:");
  expect(r.exitCode).toBe(0);
  const plan = JSON.parse(r.stdout) as { steps: { jobs: unknown[] }[] };
  expect(plan.steps.length).toBeGreaterThan(0);
});
