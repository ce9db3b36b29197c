// The root package's own typecheck, lint, test and build are tasks like any package's; a root
// script that only runs the packages' scripts is not run twice.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { check, copyExample, editJson } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function fixture(scripts: Record<string, string | undefined>): string {
  const root = copyExample();
  roots.push(root);
  editJson(root, "package.json", (m) => {
    m.scripts = Object.fromEntries(
      Object.entries({ ...(m.scripts as Record<string, string>), ...scripts }).filter(
        ([, v]) => v !== undefined,
      ),
    );
  });
  return root;
}

describe("root scripts", () => {
  test("a root test of its own runs and fails the packages check, named; fan-out scripts are skipped, saying why", () => {
    const root = fixture({
      test: "echo root suite failed >&2; exit 4",
      typecheck: "bun run --filter './packages/*' typecheck",
      build: "turbo build --continue",
    });
    const r = check(["packages", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/example-monorepo \(root\) test\s+✘ failed.*exited 4/);
    expect(r.stdout).toContain("root suite failed");
    expect(r.stdout).toMatch(
      /example-monorepo \(root\) typecheck\s+- skipped.*runs the packages' own typecheck scripts/,
    );
    expect(r.stdout).toMatch(
      /example-monorepo \(root\) build\s+- skipped.*runs the packages' own build scripts/,
    );
  });

  test("a root build of its own comes after every package's build", () => {
    const root = fixture({ build: "test -d packages/money/dist && test -d packages/strings/dist" });
    for (const dir of ["packages/money/dist", "packages/strings/dist"])
      rmSync(`${root}/${dir}`, { recursive: true, force: true });
    // A slow package build: run alongside it instead of after it, the root build would not find it.
    editJson(root, "packages/money/package.json", (m) => {
      const scripts = m.scripts as Record<string, string>;
      scripts.build = `sleep 3 && ${scripts.build}`;
    });
    const r = check(["packages", "--source", root, "--no-cache"]);
    expect(r.stdout).toMatch(/example-monorepo \(root\) build\s+✔ passed/);
    expect(r.code).toBe(0);
  });

  test("ci without a root build says there is none, instead of failing or passing a build that did not run", () => {
    const root = fixture({ build: undefined });
    const r = check(["ci", "--source", root]);
    expect(r.stdout).toContain(
      "the root package.json has no build script; the packages check built each package",
    );
  });
});

describe("scripts the repository names otherwise", () => {
  const renamed = (config?: Record<string, unknown>) => {
    const root = copyExample();
    roots.push(root);
    for (const pkg of ["money", "strings", "mobile", "birmel"]) {
      editJson(root, `packages/${pkg}/package.json`, (m) => {
        const scripts = m.scripts as Record<string, string>;
        scripts["check-types"] = scripts.typecheck ?? "";
        delete scripts.typecheck;
      });
    }
    if (config) editJson(root, "monorepo-ci.json", (c) => Object.assign(c, config));
    return root;
  };

  test("without scriptNames, the missing typecheck is named; with it, check-types runs in its place", () => {
    const bare = check(["compliance", "--source", renamed()]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('has no "typecheck" script');

    const root = renamed({ scriptNames: { typecheck: "check-types" } });
    expect(check(["compliance", "--source", root]).code).toBe(0);
    const r = check(["packages", "--source", root, "--no-cache"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/@example\/money typecheck\s+✔ passed/);
    expect(check(["mobile", "--source", root, "--no-cache"]).code).toBe(0);
  });

  test("a script name that would read as an option is bad input, naming the key", () => {
    const r = check(["compliance", "--source", renamed({ scriptNames: { typecheck: "--eval" } })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("scriptNames.typecheck");
  });
});
