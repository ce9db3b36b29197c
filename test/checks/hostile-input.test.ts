// Ordinary but awkward repository content never crashes a check into a stack trace: it is a
// finding, a note or a clear exit 2, and the other checks still report.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { check, controlCodes, editJson, write, exampleCopies } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(180_000);

const example = exampleCopies();
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+/m);

describe("links and nested repositories", () => {
  test.each([
    [
      "a symlink to /dev/zero",
      (r: string) => symlinkSync("/dev/zero", join(r, "zero")),
      "zero left out: a symlink out of the source",
    ],
    [
      "a symlink to a directory",
      (r: string) => symlinkSync("packages", join(r, "pk")),
      "pk left out: a symlink to a directory (not followed)",
    ],
    [
      "a symlink out of the tree",
      (r: string) => symlinkSync("/etc/hostname", join(r, "host")),
      "host left out: a symlink out of the source",
    ],
    [
      "a dangling symlink",
      (r: string) => symlinkSync("nowhere.ts", join(r, "gone.ts")),
      "gone.ts left out: a dangling symlink",
    ],
    [
      "a git submodule",
      (r: string) => write(r, "vendor/lib/.git", "gitdir: ../../.git/modules/vendor/lib\n"),
      "vendor/lib left out: a git submodule or nested repository",
    ],
  ])("%s: compliance passes with a note, and the secret scan finishes", (_name, arrange, note) => {
    const root = example();
    arrange(root);
    const compliance = check(["compliance", "--source", root]);
    expect(compliance.code).toBe(0);
    expect(compliance.stdout).toContain(note);
    const quality = check(["quality", "--source", root]);
    expect(quality.stdout).toMatch(/secretlint\s+✔ passed/);
    noStack(quality.stderr); // the tools may print their own traces; ours never does
  });

  test("a symlink to a file inside the tree is read as that file", () => {
    const root = example();
    write(root, "config/real.env", "TOKEN=1\n");
    symlinkSync("config/real.env", join(root, ".env.local"));
    const run = check(["compliance", "--source", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(".env.local: secrets or keys must not be committed");
  });
});

describe("a corrupt bun.lock", () => {
  test.each([["{ not json"], ['{"lockfileVersion": 1}'], [""]])(
    "%p is a compliance finding; ci still runs every check",
    (text) => {
      const root = example();
      writeFileSync(join(root, "bun.lock"), text);
      const json = join(root, "ci.json");
      const run = check(["ci", "--source", root, "--json", json]);
      expect(run.code).toBe(1);
      noStack(run.stdout + run.stderr);
      const report = JSON.parse(readFileSync(json, "utf8")) as { checks: { key: string; status: string }[] };
      expect(report.checks.map((c) => c.key)).toEqual([
        "compliance",
        "quality",
        "mobile",
        "birmel",
        "packages",
      ]);
      expect(report.checks.find((c) => c.key === "compliance")?.status).toBe("failed");
      expect(run.stdout).toMatch(/LICENSE and bun\.lock\s+✘ failed\s+[\d.]+s\s+bun\.lock: /);
    },
  );
});

describe("monorepo-ci.json that is not a plain file", () => {
  test.each([
    ["a directory", (r: string) => mkdirSync(join(r, "monorepo-ci.json")), "it is a directory"],
    [
      "a symlink loop",
      (r: string) => symlinkSync("monorepo-ci.json", join(r, "monorepo-ci.json")),
      "it is a symlink loop",
    ],
  ])("%s exits 2 naming the file", (_name, arrange, why) => {
    const root = example();
    rmSync(join(root, "monorepo-ci.json"));
    arrange(root);
    for (const key of ["compliance", "ci"]) {
      const run = check([key, "--source", root]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`monorepo-ci.json: cannot be read: ${why}`);
      expect(run.stdout).toBe("");
      noStack(run.stderr);
    }
  });

  test("a UTF-8 byte order mark is accepted", () => {
    const root = example();
    const file = join(root, "monorepo-ci.json");
    writeFileSync(file, `\uFEFF${readFileSync(file, "utf8")}`);
    expect(check(["compliance", "--source", root]).code).toBe(0);
  });
});

describe("terminal control sequences in names and output", () => {
  const esc = "\u001b";
  test("a package name and a test's output reach neither the report nor the progress lines", () => {
    const root = example();
    editJson(root, "packages/strings/package.json", (json) => {
      json.name = `@example/str${esc}[2Jings${esc}]0;pwned\u0007`;
      json.scripts = {
        ...(json.scripts as object),
        test: `printf '${esc}]0;owned\\007${esc}[31mred${esc}[0m\\n'; exit 1`,
      };
    });
    const run = check(["packages", "--source", root]);
    for (const stream of [run.stdout, run.stderr]) {
      expect(controlCodes(stream)).toEqual([]);
      expect(stream).not.toContain("pwned");
    }
    expect(run.stderr).toMatch(/▶ .*@example\/strings/);
    // Columns line up: the stripped sequences take no width.
    const header = run.stdout.split("\n").find((l) => l.startsWith("package "));
    const row = run.stdout.split("\n").find((l) => /^@example\/strings +[✔✘]/.test(l));
    expect(row?.indexOf("✘")).toBe(header?.indexOf("test"));
    noStack(run.stderr);
  });
});
