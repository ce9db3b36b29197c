// Exemptions, exclusions and allowed files do what docs/troubleshooting.md says, with exactly the
// configuration it shows: each snippet is read from the page (`<!-- tested: name -->`) and used.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { addWorkspacePackage, check, copyExample, editJson, REPO, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** The JSON block that follows `<!-- tested: name -->` in docs/troubleshooting.md. */
function docSnippet(name: string): Record<string, unknown> {
  const page = readFileSync(join(REPO, "docs/troubleshooting.md"), "utf8");
  const at = page.indexOf(`<!-- tested: ${name} -->`);
  expect(at).toBeGreaterThan(-1);
  const block = /```json\n([\s\S]*?)```/.exec(page.slice(at));
  return JSON.parse((block?.[1] ?? "").replace(/^ {3,4}/gm, "")) as Record<string, unknown>;
}

const REAL = "bun --version";
const scripts = (over: Record<string, string> = {}) => ({
  typecheck: REAL,
  lint: REAL,
  build: REAL,
  test: REAL,
  ...over,
});

/** The demo, plus two demo apps under examples/ without a test script, and a stub-only playground. */
function fixture(config: Record<string, unknown>): string {
  const root = copyExample();
  roots.push(root);
  editJson(root, "package.json", (m) => {
    m.workspaces = ["packages/*", "examples/*", "playground"];
  });
  for (const demo of ["demo-a", "demo-b"]) {
    const rest = Object.fromEntries(Object.entries(scripts()).filter(([k]) => k !== "test"));
    addWorkspacePackage(root, `examples/${demo}`, {
      name: `@example/${demo}`,
      version: "0.1.0",
      license: "MIT",
      private: true,
      scripts: rest,
    });
  }
  addWorkspacePackage(root, "playground", {
    name: "@example/playground",
    version: "0.1.0",
    private: true,
    scripts: { typecheck: "true", lint: "true", test: "true", build: "true" },
  });
  if (Object.keys(config).length) editJson(root, "monorepo-ci.json", (c) => Object.assign(c, config));
  return root;
}

const bothSnippets = () => ({ ...docSnippet("missing-script"), ...docSnippet("exclude") });

describe("exemptions and exclusions, as the troubleshooting page configures them", () => {
  test("without them, the missing test scripts and the stub playground fail compliance, naming each", () => {
    const r = check(["compliance", "--source", fixture({})]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('examples/demo-a/package.json): has no "test" script; add one, or exempt it');
    expect(r.stdout).toContain('examples/demo-b/package.json): has no "test" script');
    expect(r.stdout).toContain('"test" is a no-op stub');
  });

  test("with them: compliance passes, and packages reports the exempt and excluded tasks skipped, with why", () => {
    const root = fixture(bothSnippets());
    expect(check(["compliance", "--source", root]).code).toBe(0);
    const r = check(["packages", "--source", root]);
    expect(r.stdout).toMatch(
      /@example\/demo-a test\s+- skipped.*exempt: demo apps: the packages they use carry the tests/,
    );
    expect(r.stdout).toMatch(/@example\/demo-b test\s+- skipped.*exempt: demo apps/);
    expect(r.stdout).toMatch(/@example\/demo-a build\s+✔ passed/);
    expect(r.stdout).toMatch(
      /@example\/playground \(excluded\)\s+- skipped.*excluded: a scratch app, not shipped or tested/,
    );
    expect(r.stdout).not.toMatch(/@example\/playground (typecheck|lint|test|build)/);
    expect(r.code).toBe(0);
  });

  test("an exclusion that matches no package is bad input naming the key: exit 2", () => {
    const root = fixture({ exclude: [{ package: "playgrond", reason: "a scratch app, not shipped" }] });
    const r = check(["packages", "--source", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'monorepo-ci.json: exclude[0].package: "playgrond" matches no workspace package',
    );
    expect(r.stdout).toBe("");
  });

  test("a check left with only exempt or excluded tasks has nothing to check, which is not a pass", () => {
    const root = fixture({
      ...bothSnippets(),
      exclude: [{ package: "**", reason: "everything excluded, to see what happens" }],
    });
    const r = check(["packages", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("packages found nothing to check");
  });
});

describe("an example .env allowed by path", () => {
  const withEnv = (text: string) => {
    const root = fixture(bothSnippets());
    write(root, "packages/api/.env", text);
    return root;
  };

  test("without the entry it fails compliance; with it, compliance passes and says it allowed it", () => {
    const root = withEnv("PORT=3000\n");
    expect(check(["compliance", "--source", root]).stdout).toContain(
      "packages/api/.env: secrets or keys must not be committed",
    );
    editJson(root, "monorepo-ci.json", (c) => Object.assign(c, docSnippet("allow-env")));
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "packages/api/.env: allowed by secrets.allowFiles (local defaults only, no secrets); still scanned for secrets",
    );
  });

  test("its content is still scanned: a real secret in it fails the quality check", () => {
    const root = withEnv(`PORT=3000
GITHUB_TOKEN=${["ghp", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"].join("_")}
`);
    editJson(root, "monorepo-ci.json", (c) => Object.assign(c, docSnippet("allow-env")));
    expect(check(["compliance", "--source", root]).code).toBe(0);
    const r = check(["quality", "--source", root]);
    expect(r.stdout).toMatch(/secretlint\s+✘ failed/);
    expect(r.stdout).toContain("packages/api/.env");
  });

  test("an entry that matches no file is a finding: a stale allowance is removed, not kept", () => {
    const root = fixture({ ...bothSnippets(), ...docSnippet("allow-env") });
    const r = check(["compliance", "--source", root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('secrets.allowFiles: "packages/api/.env" matches no key or .env file');
  });
});
