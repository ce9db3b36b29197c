// The suppression ratchet on a repository that adopts it: no baseline yet, every tool's comments,
// and --update-baseline that works where .ci/ does not exist.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { check, copyExample, edit } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const ratchet = (stdout: string) => stdout.split("\n").find((l) => l.startsWith("suppression ratchet")) ?? "";

describe("the suppression ratchet", () => {
  test("a fresh repository: existing suppressions are named as such, and --update-baseline records them", () => {
    const root = copyExample();
    roots.push(root);
    rmSync(join(root, ".ci"), { recursive: true, force: true });
    edit(
      root,
      "packages/money/src/index.ts",
      (t) => `// biome-ignore lint/style: kept\n// oxlint-disable-next-line no-console\n${t}`,
    );
    const before = check(["quality", "--source", root]);
    expect(ratchet(before.stdout)).toContain("✘ failed");
    expect(before.stdout).toContain(
      "biome-ignore: 1 existing, and no baseline yet at .ci/suppressions-baseline.json; record them with `bun run check quality --update-baseline` and commit it",
    );
    expect(before.stdout).toContain("oxlint-disable: 1 existing");

    const update = check(["quality", "--source", root, "--update-baseline"]);
    expect(update.stderr).not.toMatch(/^\s+at /m);
    const file = join(root, ".ci/suppressions-baseline.json");
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))["@example/money"]).toMatchObject({
      "biome-ignore": 1,
      "oxlint-disable": 1,
    });
    expect(ratchet(update.stdout)).toContain("✔ passed");

    edit(
      root,
      "packages/money/src/index.ts",
      (t) => `/* dprint-ignore */\n// biome-ignore-all lint: more\n${t}`,
    );
    const after = check(["quality", "--source", root]);
    expect(after.stdout).toContain(
      "biome-ignore: 1 new (now 2, baseline 1 in .ci/suppressions-baseline.json); remove the new ones, or, if they must stay, record them with `bun run check quality --update-baseline`",
    );
    expect(after.stdout).toContain("dprint-ignore: 1 new (now 1, baseline 0");
  });
});
