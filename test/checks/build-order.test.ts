// Builds respect dependency order, as Turborepo's ^build: a package's build, typecheck and test
// wait for the builds of the workspace packages it depends on, on the host and in the engine.
// The fixture's scripts read the dependency's build output, which only its build writes (after a
// pause), so running them out of order fails them.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { invoke } from "../support/engine/invoke.ts";
import { addWorkspacePackage, check, copyExample, editJson } from "../support/helpers.ts";

// These tests start real processes and containers; a busy machine must not fail them by the clock.
setDefaultTimeout(600_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

type Scripts = Record<string, string>;
const manifest = (name: string, deps: string[], scripts: Scripts) => ({
  name,
  version: "0.1.0",
  license: "MIT",
  type: "module",
  ...(deps.length && { dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:*"])) }),
  scripts,
});

const reads = (dep: string) => `cat ../${dep}/dist/out.txt`;
const LIB_BUILD = "sleep 1 && mkdir -p dist && echo built > dist/out.txt";

/** The demo with lib ← mid ← app and side ← app added, no mobile or birmel key (so one check has all). */
function fixture(change: (root: string) => void = () => {}): string {
  const root = copyExample();
  roots.push(root);
  editJson(root, "monorepo-ci.json", (c) => {
    delete c.mobile;
    delete c.birmel;
    delete c.binaries;
  });
  addWorkspacePackage(
    root,
    "packages/lib",
    manifest("@example/lib", [], {
      build: LIB_BUILD,
      typecheck: "bun --version",
      lint: "bun --version",
      test: "bun --version",
    }),
  );
  addWorkspacePackage(
    root,
    "packages/mid",
    manifest("@example/mid", ["@example/lib"], {
      build: `${reads("lib")} && sleep 1 && mkdir -p dist && echo mid > dist/out.txt`,
      typecheck: reads("lib"),
      lint: "bun --version",
      test: reads("lib"),
    }),
  );
  // Built apart from lib and mid: in the engine, app starts from one build's container and
  // must see the others' builds too.
  addWorkspacePackage(
    root,
    "packages/side",
    manifest("@example/side", [], {
      build: LIB_BUILD,
      typecheck: "bun --version",
      lint: "bun --version",
      test: "bun --version",
    }),
  );
  addWorkspacePackage(
    root,
    "packages/app",
    manifest("@example/app", ["@example/mid", "@example/lib", "@example/side"], {
      build: `${reads("mid")} && ${reads("lib")} && ${reads("side")}`,
      typecheck: `${reads("mid")} && ${reads("lib")} && ${reads("side")}`,
      lint: "bun --version",
      test: reads("mid"),
    }),
  );
  change(root);
  return root;
}

describe("dependency order", () => {
  test("on the host, from a clean checkout: every build, typecheck and test after its dependencies' builds", () => {
    const root = fixture();
    const r = check(["packages", "--source", root, "--no-cache"]);
    expect(r.stdout).toMatch(/@example\/app build\s+✔ passed/);
    expect(r.stdout).toMatch(/@example\/app typecheck\s+✔ passed/);
    expect(r.stdout).toMatch(/@example\/mid test\s+✔ passed/);
    expect(r.code).toBe(0);
  });

  test("a dependency's failed build leaves its dependents not run, saying why, and fails the check", () => {
    const root = fixture((r) =>
      editJson(r, "packages/lib/package.json", (m) => {
        (m.scripts as Scripts).build = "exit 3";
      }),
    );
    const r = check(["packages", "--source", root, "--no-cache"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/@example\/lib build\s+✘ failed/);
    expect(r.stdout).toMatch(/@example\/mid build\s+- skipped.*not run: @example\/lib build failed/);
    expect(r.stdout).toMatch(/@example\/app typecheck\s+- skipped.*not run: @example\/lib build failed/);
    // Lint reads no build output, so it still runs.
    expect(r.stdout).toMatch(/@example\/app lint\s+✔ passed/);
  });

  test("a cycle is bad input naming it, with the manifests: exit 2, nothing run", () => {
    const root = fixture((r) =>
      editJson(r, "packages/lib/package.json", (m) => {
        m.devDependencies = { "@example/app": "workspace:*" };
      }),
    );
    const r = check(["packages", "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /workspace dependency cycle: @example\/\w+ → (@example\/\w+ → )*@example\/\w+ \(/,
    );
    expect(r.stderr).toContain("@example/lib → @example/app");
    expect(r.stderr).toContain("packages/lib/package.json");
    expect(r.stdout).toBe("");
  });

  test("in the engine, each dependent sees every build it waits for", async () => {
    const root = fixture();
    const r = await invoke({ fn: "packageValidation", sourceDir: root });
    const returned = r.recording.returned;
    expect(returned?.kind === "value" ? "passed" : JSON.stringify(returned)).toBe("passed");
    const text = String(returned?.kind === "value" && returned.value);
    expect(text).toMatch(/@example\/app build\s+✔ passed/);
    expect(text).toMatch(/@example\/app typecheck\s+✔ passed/);
  });
});
