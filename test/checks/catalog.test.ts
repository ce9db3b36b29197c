// Ties the Dagger module to the catalog through the SDK's own introspector: what the engine would
// register is exactly what the catalog says, so no check name or list drifts.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { catalog, cliName } from "../../.dagger/src/catalog/catalog.ts";
import { Catalog } from "../../.dagger/src/catalog/schema.ts";
import { planners } from "../../.dagger/src/checks/index.ts";
import { introspectModule, type IntrospectedFunction } from "../../.dagger/src/introspect/module.ts";
import { SOURCE_IGNORE } from "../../.dagger/src/source/view.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

let fns: IntrospectedFunction[];
beforeAll(async () => {
  fns = await introspectModule();
}, 60_000);

describe("the Monorepo module as the engine would register it", () => {
  test("has exactly the catalog's functions, with the same names, arguments and check flags", () => {
    const fromModule = fns.map((f) => ({
      name: f.name,
      isCheck: f.isCheck,
      arguments: f.arguments.map(({ name, type, optional }) => ({ name, type, optional })),
    }));
    const fromCatalog = catalog
      .map((e) => ({ name: cliName(e.daggerFunction), isCheck: e.kind === "check", arguments: e.arguments }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(fromModule).toEqual(fromCatalog);
  });

  test("lists the five Tier 0 checks and ci by their CLI names", () => {
    expect(fns.filter((f) => f.isCheck).map((f) => f.name)).toEqual([
      "birmel-validation",
      "compliance-check",
      "mobile-ci",
      "package-validation",
      "quality-checks",
    ]);
    expect(fns.find((f) => f.name === "ci")?.isCheck).toBe(false);
  });

  test("every source argument defaults to the repo root and ignores the shared globs", () => {
    const sources = fns.map((f) => f.arguments.find((a) => a.name === "source"));
    for (const s of sources) {
      expect(s?.defaultPath).toBe("/");
      expect(s?.ignore).toEqual(SOURCE_IGNORE);
    }
  });

  test("the release functions, which deploy, are never cached", () => {
    const deploying = catalog.filter((e) => e.when === "tag").map((e) => e.daggerFunction);
    expect(deploying).toEqual(["publish", "githubRelease"]);
    for (const fn of deploying) expect(fns.find((f) => f.method === fn)?.cache).toBe("never");
    expect(fns.filter((f) => f.cache === "never").map((f) => f.method)).toEqual(
      expect.arrayContaining(deploying),
    );
  });

  test("doc comments say what the catalog says", () => {
    for (const e of catalog) {
      expect(fns.find((f) => f.method === e.daggerFunction)?.description).toBe(e.description);
    }
  });

  test("bun run dagger:functions prints the introspected list with checks marked", () => {
    const run = runCli(".dagger/cli/functions.ts", []);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n").slice(1);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(fns.map((f) => f.name));
    expect(lines.find((l) => l.startsWith("quality-checks"))).toMatch(/^quality-checks\s+check\s/);
    expect(lines.find((l) => l.startsWith("ci "))).not.toMatch(/\scheck\s/);
  });
});

describe("the catalog", () => {
  test("every check has a planner and every planner a check", () => {
    const checkKeys = catalog.filter((e) => e.kind === "check").map((e) => e.key);
    expect(Object.keys(planners).sort()).toEqual(checkKeys.sort());
  });

  test("rejects duplicate keys, unknown dependencies and required check arguments", () => {
    const [compliance, , , , , ci] = catalog;
    const dup = Catalog.safeParse([compliance, compliance]);
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.message).toContain("duplicate key compliance");
    const badDep = Catalog.safeParse([compliance, { ...ci, dependsOn: ["nope"] }]);
    expect(badDep.error?.issues.map((i) => i.message)).toContain(
      "ci depends on nope, which is not a check in the catalog",
    );
    const required = Catalog.safeParse([
      { ...compliance, arguments: [{ name: "source", type: "Directory", optional: false }] },
    ]);
    expect(required.error?.issues[0]?.message).toContain("must all be optional");
  });
});

describe("the repo around the module", () => {
  test("tsc -p .dagger --noEmit passes against the real SDK types", () => {
    const r = Bun.spawnSync(["bunx", "tsc", "-p", ".dagger", "--noEmit"], { cwd: REPO });
    expect(r.stdout.toString() + r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  }, 120_000);

  test("the justfile has one recipe per catalog entry, running its host command", () => {
    const justfile = readFileSync(join(REPO, "justfile"), "utf8");
    const generated =
      justfile.split("# BEGIN GENERATED: check recipes")[1]?.split("# END GENERATED")[0] ?? "";
    const recipes = [...generated.matchAll(/^([a-z][a-z0-9-]*) \*args:\n {4}(.*) \{\{ args \}\}$/gm)].map(
      (m) => [m[1], m[2]],
    );
    expect(recipes).toEqual(catalog.filter((e) => e.hostCommand).map((e) => [e.key, e.hostCommand]));
  });

  test("dagger.json names the module, its source and the engine the SDK is pinned to", () => {
    const daggerJson = JSON.parse(readFileSync(join(REPO, "dagger.json"), "utf8"));
    const sdk = JSON.parse(readFileSync(join(REPO, ".dagger/package.json"), "utf8")).dependencies[
      "@dagger.io/dagger"
    ];
    expect(daggerJson).toEqual({
      name: "monorepo",
      engineVersion: `v${sdk}`,
      sdk: "typescript",
      source: ".dagger",
    });
  });
});

test("the catalog-generated sections of README.md and the justfile are up to date", async () => {
  const { GENERATED_FILES, regenerate } = await import("../../.dagger/src/docs/generated.ts");
  for (const file of GENERATED_FILES) {
    const text = readFileSync(join(REPO, file), "utf8");
    expect(regenerate(file, text)).toEqual({ text, unmarked: [] });
  }
});
