// Every CLI writes all of its output before it exits, however slowly the reader drains the pipe
// (`generate-pipeline | buildkite-agent pipeline upload` is a pipe), and a write that fails
// (/dev/full, a reader gone) is a non-zero exit, never a silent success.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/git.ts";
import { EXAMPLE, REPO } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const dir = tempDir("output");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A section far larger than a pipe's buffer (64 KiB), so a writer that exits early loses output.
const ENTRIES = 20_000;
const changelog = join(dir, "CHANGELOG.md");
writeFileSync(
  changelog,
  `# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-01\n\n${Array.from(
    { length: ENTRIES },
    (_, i) => `- entry ${i}`,
  ).join("\n")}\n`,
);
writeFileSync(
  join(dir, "pipeline.yml"),
  `steps:\n  - key: loud\n    command: bun -e 'for (let i = 0; i < ${ENTRIES}; i++) console.log("line " + i)'\n`,
);

/** Runs `command` (words quoted for sh) with stdout into `sink`, a shell fragment. */
function shell(command: string[], sink: string) {
  const quoted = command.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(" ");
  return spawnSync("bash", ["-c", `set -o pipefail; ${quoted} ${sink}`], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, FULL_BUILD: "true", BUILDKITE_BRANCH: "x" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const CLIS: [string, string[], RegExp][] = [
  [
    "release-notes",
    ["bun", ".buildkite/scripts/release-notes.ts", "v1.0.0", "--changelog", changelog],
    /- entry 19999\n/,
  ],
  [
    "the local runner",
    ["bun", ".buildkite/run-pipeline.ts", join(dir, "pipeline.yml"), "--dir", dir],
    /line 19999/,
  ],
];

describe("a slow reader gets every byte", () => {
  test.each(CLIS)("%s", (_name, command, last) => {
    const fast = shell(command, "");
    const slow = shell(command, "| (sleep 1; cat)");
    expect(slow.status).toBe(0);
    expect(fast.stdout).toMatch(last);
    expect(slow.stdout.length).toBe(fast.stdout.length);
    expect(slow.stdout.length).toBeGreaterThan(100_000);
  });
});

describe("output that cannot be written fails the command", () => {
  test.each([
    ...CLIS.map(([name, command]) => [name, command] as const),
    ["the pipeline generator", ["bun", ".buildkite/generate-pipeline.ts"]] as const,
    [
      "bun run check (which passed)",
      ["bun", ".dagger/cli/check.ts", "compliance", "--source", EXAMPLE],
    ] as const,
  ])("%s into /dev/full exits non-zero and says why", (_name, command) => {
    const r = shell([...command], "> /dev/full");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("could not write the output");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test.each([
    ["bun run check (which passed)", ["bun", ".dagger/cli/check.ts", "compliance", "--source", EXAMPLE]],
    ["the pipeline generator", ["bun", ".buildkite/generate-pipeline.ts"]],
  ] as const)("%s with stderr into /dev/full ends promptly, non-zero", (_name, command) => {
    const r = spawnSync("bash", ["-c", `${command.map((w) => `'${w}'`).join(" ")} >/dev/null 2>/dev/full`], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, FULL_BUILD: "true", BUILDKITE_BRANCH: "x" },
      // Generous: only a hang, never a slow machine, reaches it.
      timeout: 90_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).not.toBe(0);
  });

  test("a reader that goes away (EPIPE) fails the command", () => {
    const r = shell(CLIS[0]?.[1] ?? [], "| head -c 1 >/dev/null");
    expect(r.status).not.toBe(0);
  });
});
