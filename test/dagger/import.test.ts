// The engine's TypeScript runtime imports every .ts file under .dagger/src before it calls a
// function. A file that prints, exits or throws on import kills every `dagger call`, so each file
// is imported in a fresh bun process, alone and all together, and must do nothing visible.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/helpers.ts";
import { capture } from "../support/process.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const SRC = join(REPO, ".dagger", "src");
const files = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.m?ts$/.test(f))
  .map((f) => join(SRC, f))
  .sort();

const importIn = (code: string) => capture(["bun", "-e", code], { cwd: join(REPO, ".dagger") });

describe("importing .dagger/src as the engine's runtime does", () => {
  test("finds the module's files", () => {
    expect(files).toContain(join(SRC, "index.ts"));
    expect(files.length).toBeGreaterThan(30);
  });

  test("no file prints, exits or throws when imported alone", async () => {
    const results = await Promise.all(
      files.map(async (f) => ({ file: f, ...(await importIn(`await import(${JSON.stringify(f)})`)) })),
    );
    expect(results.filter((r) => r.stdout || r.stderr || r.exitCode !== 0)).toEqual([]);
  }, 300_000);

  test("all of them imported together, as the entrypoint loads them, do nothing visible", async () => {
    const r = await importIn(`await Promise.all(${JSON.stringify(files)}.map((f) => import(f)))`);
    expect(r).toEqual({ stdout: "", stderr: "", exitCode: 0 });
  }, 120_000);
});
