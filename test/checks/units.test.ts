import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { renderCheck } from "../../.dagger/src/plan/render.ts";
import { printable } from "../../.dagger/src/text/printable.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isStubScript } from "../../.dagger/src/checks/compliance.ts";
import { parseUnifiedDiff } from "../../.dagger/src/review/diff.ts";
import { parseVersions } from "../../.dagger/src/catalog/versions.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import { Pool } from "../../.dagger/src/plan/pool.ts";
import type { TaskResult } from "../../.dagger/src/plan/result.ts";
import { runGraph } from "../../.dagger/src/plan/schedule.ts";
import { binDirs, type Task } from "../../.dagger/src/plan/task.ts";
import { lockedWorkspaces, stripTrailingCommas } from "../../.dagger/src/workspace/bunlock.ts";
import { workspaceRoots } from "../../.dagger/src/workspace/discover.ts";
import { check, controlCodes, copyExample, editJson } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

describe("isStubScript", () => {
  test.each([
    ["echo ok"],
    ["true"],
    [":"],
    ["exit 0"],
    [""],
    ["  "],
    ["echo no tests && exit 0"],
    ["echo 'No tests yet'"],
    ["echo $HOME"],
  ])("%p is a stub", (s) => {
    expect(isStubScript(s)).toBe(true);
  });
  test.each([
    ["bun test"],
    ["echo building && tsc -b"],
    ["tsc --noEmit; echo done"],
    ["exit 1"],
    ['echo a:lint >> "$RUNS_LOG"'],
    ["echo data | node check.js"],
    ["echo $(bun run verify)"],
    ["echo `make`"],
  ])("%p is real", (s) => {
    expect(isStubScript(s)).toBe(false);
  });
});

describe("bun.lock", () => {
  test("trailing commas go, commas inside strings stay", () => {
    expect(JSON.parse(stripTrailingCommas('{"a": [1, 2,], "b": "x,}",\n}'))).toEqual({ a: [1, 2], b: "x,}" });
  });
  test("lists the workspaces it records", () => {
    expect(lockedWorkspaces('{"workspaces": {"": {}, "packages/a": {},},}', "bun.lock")).toEqual([
      "",
      "packages/a",
    ]);
  });
  test("a lock without workspaces is an input error naming the file", () => {
    expect(() => lockedWorkspaces("{}", "sub/bun.lock")).toThrow(
      new InputError('sub/bun.lock: has no "workspaces" table'),
    );
  });
});

test("workspace roots are the fixed prefixes of the globs", () => {
  expect(workspaceRoots(["packages/*", "./apps/**", "tools/cli", "!packages/legacy"])).toEqual([
    "packages",
    "apps",
    "tools/cli",
  ]);
});

test("binDirs walks from the task directory up to the root, nearest first", () => {
  expect(binDirs("packages/a")).toEqual([
    "packages/a/node_modules/.bin",
    "packages/node_modules/.bin",
    "node_modules/.bin",
  ]);
  expect(binDirs(".")).toEqual(["node_modules/.bin"]);
});

describe("versions.json", () => {
  test("rejects latest and unpinned images, naming the key", () => {
    expect(() =>
      parseVersions(JSON.stringify({ images: { bun: "oven/bun:latest" }, tools: { kubectl: "v1.0.0" } })),
    ).toThrow(/images\.bun: `latest` is not a pin/);
    expect(() => parseVersions('{"images": {"curl": "curlimages/curl"}}')).toThrow(
      /images\.curl: images are pinned/,
    );
  });

  test("every image has a digest, or a reason in tagOnly why not", () => {
    const images = (bun: string) => ({
      bun,
      bunSlim: `x/y:1@sha256:${"a".repeat(64)}`,
      shellcheck: `x/y:1@sha256:${"b".repeat(64)}`,
      trivy: `x/y:1@sha256:${"c".repeat(64)}`,
      curl: `x/y:1@sha256:${"d".repeat(64)}`,
      alpine: `x/y:1@sha256:${"e".repeat(64)}`,
    });
    const tools = { kubectl: "v1.0.0" };
    expect(() => parseVersions(JSON.stringify({ images: images("oven/bun:1.4.5"), tools }))).toThrow(
      /images\.bun: pin a digest, or say in tagOnly why there is none/,
    );
    const why = { bun: "none published" };
    expect(
      parseVersions(JSON.stringify({ images: images("oven/bun:1.4.5"), tagOnly: why, tools })).tagOnly,
    ).toEqual(why);
    expect(() =>
      parseVersions(
        JSON.stringify({ images: images(`oven/bun:1.4.5@sha256:${"f".repeat(64)}`), tagOnly: why, tools }),
      ),
    ).toThrow(/tagOnly\.bun: the image is pinned by digest/);
  });
});

describe("Pool", () => {
  test("never runs more than its size at once", async () => {
    const pool = new Pool(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        pool.run(async () => {
          peak = Math.max(peak, ++running);
          await Bun.sleep(5);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});

describe("runGraph", () => {
  const result = (task: Task, status: TaskResult["status"]): TaskResult => ({
    id: task.id,
    label: task.label,
    status,
    durationMs: 0,
    exitCode: status === "failed" ? 1 : 0,
    detail: "",
    output: "",
  });
  const task = (id: string, needs: string[] = []): Task => ({
    kind: "skip",
    id,
    label: id,
    reason: "",
    needs,
  });

  test("skips what depends on a failure, runs everything else", async () => {
    const ran: string[] = [];
    const results = await runGraph(
      [task("gen"), task("lint", ["gen"]), task("build", ["gen"]), task("smoke", ["build"]), task("other")],
      async (t) => {
        ran.push(t.id);
        return result(t, t.id === "build" ? "failed" : "passed");
      },
      new Pool(4),
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["gen", "passed"],
      ["lint", "passed"],
      ["build", "failed"],
      ["smoke", "skipped"],
      ["other", "passed"],
    ]);
    expect(results[3]?.detail).toBe("not run: build failed");
    expect(ran).not.toContain("smoke");
  });

  test("refuses cycles and unknown needs", async () => {
    const never = async (t: Task) => result(t, "passed");
    await expect(runGraph([task("a", ["b"]), task("b", ["a"])], never, new Pool(1))).rejects.toThrow(
      "plan has a cycle: a → b → a",
    );
    await expect(runGraph([task("a", ["zzz"])], never, new Pool(1))).rejects.toThrow(
      "task a needs unknown task zzz",
    );
  });
});

describe("bad input exits 2 and names the culprit", () => {
  test("an unknown check key", () => {
    const run = check(["lint-everything"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown check "lint-everything"');
  });

  test("an unknown option", () => {
    const run = check(["compliance", "--sauce", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--sauce");
  });

  test("a missing source directory", () => {
    const run = check(["compliance", "--source", "/nonexistent/monorepo"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--source /nonexistent/monorepo: not a directory");
  });

  test("a config with a wrong key names the file and the key path", () => {
    const root = copyExample();
    try {
      editJson(root, "monorepo-ci.json", (j) => {
        j.mobile = {};
        (j.birmel as Record<string, unknown>).port = "eighty";
      });
      const run = check(["mobile", "--source", root]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("monorepo-ci.json: invalid configuration");
      expect(run.stderr).toContain("mobile.workspace:");
      expect(run.stderr).toContain("birmel.port:");
      expect(run.stdout).toBe("");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a config pointing at a directory without a package names the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-bad-"));
    try {
      writeFileSync(
        join(dir, "package.json"),
        '{"name": "x", "private": true, "workspaces": ["packages/*"]}',
      );
      writeFileSync(
        join(dir, "monorepo-ci.json"),
        '{"mobile": {"workspace": "apps/phone"}, "birmel": {"workspace": "svc"}}',
      );
      const run = check(["mobile", "--source", dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("monorepo-ci.json: mobile.workspace: no package.json in apps/phone");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("parseUnifiedDiff", () => {
  test("reads non-ASCII and quoted paths the way git prints them", () => {
    const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-diff-"));
    try {
      const git = (...args: string[]) =>
        spawnSync("git", ["-C", dir, "-c", "user.email=a@b", "-c", "user.name=a", ...args], {
          encoding: "utf8",
        });
      git("init", "-q");
      git("commit", "-q", "--allow-empty", "-m", "base");
      for (const name of ["ü.ts", 'we"ird.ts', "tab\tname.ts", "plain.ts"])
        writeFileSync(join(dir, name), "export {};\n");
      git("add", "-A");
      git("commit", "-q", "-m", "files");
      // git's default (core.quotePath on) quotes these in C style; both forms must read the same.
      for (const quotePath of ["true", "false"]) {
        const diff = git("-c", `core.quotePath=${quotePath}`, "diff", "HEAD~1", "HEAD").stdout;
        expect(
          parseUnifiedDiff(diff)
            .map((f) => f.path)
            .sort(),
        ).toEqual(["plain.ts", "tab\tname.ts", 'we"ird.ts', "ü.ts"].sort());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("text reports carry no terminal control sequences", () => {
  test("colours, titles, cursor moves and other controls from names and output are dropped", () => {
    const esc = "\u001b";
    const report = {
      key: "packages",
      label: ":package: Packages",
      status: "failed" as const,
      durationMs: 1,
      tasks: [
        {
          id: "test",
          label: `@evil/${esc}[2Jpkg test`,
          status: "failed" as const,
          durationMs: 1,
          exitCode: 1,
          detail: `exited 1${esc}]0;pwned${"\u0007"}`,
          output: `${esc}[31mred${esc}[0m\r\nline\u0000two\ttab${esc}[1A${esc}Pdcs`,
        },
      ],
    };
    const text = renderCheck(report);
    expect(controlCodes(text)).toEqual([]);
    expect(text).toContain("@evil/pkg test");
    expect(text).toContain("red\nlinetwo\ttab");
    expect(text).not.toContain("pwned");
  });
});

describe("printable", () => {
  const esc = "\u001b";
  const cases: [string, string, string][] = [
    ["plain text is returned as it is", "a\tb\nc ✔ é", "a\tb\nc ✔ é"],
    ["SGR colours", `${esc}[1;31mred${esc}[0m`, "red"],
    ["a private-mode CSI with intermediates", `a${esc}[?25lb${esc}[2 qc`, "abc"],
    ["an OSC title ended by BEL", `a${esc}]0;title\u0007b`, "ab"],
    ["an OSC 8 hyperlink ended by ESC \\", `${esc}]8;;https://x${esc}\\link${esc}]8;;${esc}\\`, "link"],
    ["a DCS string", `a${esc}Pq#0;2;0;0;0${esc}\\b`, "ab"],
    ["an unterminated OSC runs to the end", `a${esc}]0;never ends`, "a"],
    ["8-bit CSI and OSC", `a\u009b31mb\u009d0;t\u009cc`, "abc"],
    ["two-byte escapes and a charset designation", `a${esc}7b${esc}(Bc${esc}`, "abc"],
    ["CRLF becomes LF, a lone CR and other controls go", "a\r\nb\rc\u0000\u0008d\u007f", "a\nbcd"],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const out = printable(input);
      expect(out).toBe(expected);
      expect(controlCodes(out)).toEqual([]);
    });
  }
});
