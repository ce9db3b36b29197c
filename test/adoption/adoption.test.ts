// Three real monorepos that nobody here wrote, adopted the way docs/adopting.md tells a new user:
// the package installed from its packed tarball (`bun add -d`, offline: .ci/setup warmed bun's
// cache), `monorepo-ci init`, the config the page shows (read from it, not kept here), the
// suppression baseline recorded, the repository's own formatter run over what adoption wrote. Then `check ci` must pass on the host,
// and one seeded fault must fail the check and the task that own it.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CiReport } from "../../.dagger/src/plan/result.ts";
import { edit, OFFLINE, REPO, write } from "../support/helpers.ts";
import { FIXTURES, PREPARED, type Fixture } from "./fixtures.ts";

// Each fixture installs nothing, but runs its real tsc, Vitest, Jest, Biome, oxlint and ESLint.
setDefaultTimeout(600_000);

const DOC = readFileSync(join(REPO, "docs", "adopting.md"), "utf8");

/** The monorepo-ci.json docs/adopting.md gives for a fixture: the json block after its marker. */
function documentedConfig(name: string): string {
  const block = new RegExp(`<!-- monorepo-ci\\.json: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(
    DOC,
  );
  if (!block?.[1]) throw new Error(`docs/adopting.md has no monorepo-ci.json block for ${name}`);
  return block[1];
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, args: string[]): void {
  const r = spawnSync("git", ["-c", "user.email=ci@example.com", "-c", "user.name=ci", ...args], { cwd });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} in ${cwd}: ${r.stderr}`);
}

/** The packed package, as a user would `bun add -d` it. */
let tarball = "";
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-pack-"));
  copies.push(dir);
  const packed = spawnSync("bun", ["pm", "pack", "--destination", dir, "--ignore-scripts"], {
    cwd: REPO,
    encoding: "utf8",
  });
  if (packed.status !== 0) throw new Error(`bun pm pack: ${packed.stderr}`);
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz")) ?? "");
});

/** `bunx monorepo-ci …` in the adopted repository, with no network. */
function mci(root: string, args: string[]) {
  const r = spawnSync("bunx", ["monorepo-ci", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...OFFLINE },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The README's adoption steps, on a private copy of the migrated fixture. */
function adopt(fixture: Fixture): string {
  const prepared = join(PREPARED, fixture.name);
  if (!existsSync(join(prepared, "node_modules"))) {
    throw new Error(
      `${prepared} is not prepared: run bash .ci/setup (it migrates and installs the fixtures)`,
    );
  }
  // A real copy, node_modules included: installing the package writes into it.
  const root = mkdtempSync(join(tmpdir(), `monorepo-ci-adopted-${fixture.name}-`));
  copies.push(root);
  const copied = spawnSync("cp", ["-a", `${prepared}/.`, root], { encoding: "utf8" });
  if (copied.status !== 0) throw new Error(`cp -a ${prepared}: ${copied.stderr}`);
  git(root, ["init", "-q"]);
  const added = spawnSync("bun", ["add", "-d", tarball, "--offline"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...OFFLINE },
  });
  expect(
    added.status,
    `bun add -d the tarball --offline (bash .ci/setup warms the cache): ${added.stderr}`,
  ).toBe(0);
  const init = mci(root, ["init"]);
  expect(init.code, init.stderr).toBe(0);
  write(root, "monorepo-ci.json", documentedConfig(fixture.name));
  const baseline = mci(root, ["check", "quality", "--update-baseline"]);
  expect(baseline.stderr).toContain(`wrote ${join(root, ".ci", "suppressions-baseline.json")}`);
  const [tool, ...args] = fixture.format;
  const formatted = spawnSync(join(root, "node_modules", ".bin", tool as string), args, {
    cwd: root,
    encoding: "utf8",
  });
  expect(formatted.status, `${fixture.format.join(" ")}: ${formatted.stderr}`).toBe(0);
  git(root, ["add", "-A"]);
  git(root, ["commit", "-qm", "adopt monorepo-ci"]);
  return root;
}

function ci(root: string): { run: ReturnType<typeof mci>; report: CiReport } {
  const json = join(root, "..", `${root.split("/").pop()}-report.json`);
  copies.push(json);
  const run = mci(root, ["check", "ci", "--json", json]);
  return { run, report: JSON.parse(readFileSync(json, "utf8")) as CiReport };
}

describe.each(FIXTURES)("adopting $name ($shape)", (fixture) => {
  test("is green on the host with the documented config, and a seeded fault fails the right check", () => {
    const root = adopt(fixture);

    const green = ci(root);
    expect(green.run.code, green.run.stdout.slice(-4000)).toBe(0);
    expect(green.report.status).toBe("passed");
    // Green means work was done: every package ran its test and build, none was all skipped.
    const packages = green.report.checks.find((c) => c.key === "packages");
    expect(
      packages?.tasks.filter((t) => t.status === "passed" && t.column === "build").length,
    ).toBeGreaterThan(0);
    expect(
      packages?.tasks.filter((t) => t.status === "passed" && t.column === "test").length,
    ).toBeGreaterThan(0);
    expect(green.report.notConfigured.sort()).toEqual(["birmel", "mobile"]);

    const { fault } = fixture;
    edit(root, fault.file, (text) => text.replace(fault.find, fault.replace));
    const red = ci(root);
    expect(red.run.code).toBe(1);
    expect(red.report.status).toBe("failed");
    const owner = red.report.checks.find((c) => c.key === fault.check);
    expect(owner?.status).toBe("failed");
    expect(owner?.tasks.find((t) => t.label === fault.task)?.status).toBe("failed");
    // Only that check: the fault is caught where it belongs, not by a side effect elsewhere.
    expect(red.report.checks.filter((c) => c.status === "failed").map((c) => c.key)).toEqual([fault.check]);
  });
});
