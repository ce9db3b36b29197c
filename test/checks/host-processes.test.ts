// Host checks never hang and never leave processes behind: every task has a timeout, a task is
// done shortly after its process exits whatever its grandchildren hold, and a signal stops
// every task and still writes the report. Waits here poll for a state, never a fixed time.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { check, editJson, REPO, exampleCopies } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(180_000);

const example = exampleCopies();
/**
 * Each run's sleeps have their own fraction (`sleep 3134.<RUN>`), so a process left by another
 * run (or another test file) can never satisfy, or fail, this run's "is it running" polls.
 */
const RUN = String(process.pid);
const script = (root: string, pkg: string, name: string, body: string) =>
  editJson(root, `packages/${pkg}/package.json`, (json) => {
    (json.scripts as Record<string, string>)[name] = body;
  });
/** Processes whose command line holds `marker`: what a task must not leave behind. */
const running = (marker: string) =>
  spawnSync("pgrep", ["-f", marker], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);

async function gone(marker: string): Promise<boolean> {
  for (let i = 0; i < 200 && running(marker).length; i++) await Bun.sleep(50);
  return running(marker).length === 0;
}

describe("a task that hangs", () => {
  test("is stopped at taskTimeoutMinutes, reported as timed out, with nothing left running", async () => {
    const root = example();
    script(root, "money", "test", `sleep 3131.${RUN}`);
    script(root, "strings", "test", `sh -c 'sleep 3135.${RUN}'`);
    editJson(root, "monorepo-ci.json", (json) => {
      json.taskTimeoutMinutes = 0.1;
    });
    const run = check(["packages", "--source", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/@example\/money test\s+✘ failed\s+[\d.]+s\s+bun run test timed out after 6s/);
    expect(run.stdout).toMatch(
      /@example\/strings test\s+✘ failed\s+[\d.]+s\s+bun run test timed out after 6s/,
    );
    expect(await gone(`sleep 313[15].${RUN}`)).toBe(true);
  });
});

describe("a task whose process exited", () => {
  test.each([
    ["a background grandchild holding stdout", `(sleep 3132.${RUN} &) ; echo started`, `sleep 3132.${RUN}`],
    [
      "a grandchild in its own session (setsid)",
      `setsid sleep 3133.${RUN} & echo started`,
      `sleep 3133.${RUN}`,
    ],
    [
      "nohup and a closed stdin",
      `nohup sleep 3136.${RUN} >/dev/stdout 2>&1 </dev/null & echo started`,
      `sleep 3136.${RUN}`,
    ],
  ])("is done after a short grace: %s, and what it left is stopped", async (_name, body, marker) => {
    const root = example();
    script(root, "strings", "test", body);
    const run = check(["packages", "--source", root]);
    expect(run.stdout).toMatch(/@example\/strings test\s+✔ passed/);
    expect(run.code).toBe(0);
    expect(await gone(marker)).toBe(true);
  });
});

describe("a signal during a check", () => {
  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s stops every task, writes the report marked canceled, exits %i", async (signal, code) => {
    const root = example();
    const marker = signal === "SIGTERM" ? `sleep 3134.${RUN}` : `sleep 3137.${RUN}`;
    script(root, "money", "test", marker);
    const json = join(root, "report.json");
    const proc = Bun.spawn(
      ["bun", join(REPO, ".dagger/cli/check.ts"), "packages", "--source", root, "--json", json],
      {
        cwd: REPO,
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    while (!running(marker).length) await Bun.sleep(50);
    proc.kill(signal);
    const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(exitCode).toBe(code);
    expect(stdout).toContain(":package: Packages: CANCELED");
    expect(stdout).toMatch(
      new RegExp(`@example/money test\\s+✘ failed\\s+[\\d.]+s\\s+.*canceled by ${signal}`),
    );
    const report = JSON.parse(readFileSync(json, "utf8")) as { status: string; tasks: unknown[] };
    expect(report.status).toBe("canceled");
    // Every planned task is in the report: two packages' four scripts, and the root's four.
    expect(report.tasks.length).toBe(12);
    expect(await gone(marker)).toBe(true);
  });
});

describe("the birmel smoke test says what really happened", () => {
  const service = (root: string, start: string) => {
    script(root, "birmel", "start", start);
    editJson(root, "monorepo-ci.json", (json) => {
      (json.birmel as Record<string, unknown>).startTimeoutSeconds = 4;
    });
  };

  test.each([
    [
      "a service that accepts connections and never answers",
      `bun -e "require('node:net').createServer(() => {}).listen(Number(process.env.PORT))"`,
      "GET /health gave no 2xx within 4s (last: no response within 2s)",
    ],
    [
      "a service that answers 503",
      `bun -e "Bun.serve({ port: Number(process.env.PORT), fetch: () => new Response('down', { status: 503 }) })"`,
      "GET /health gave no 2xx within 4s (last: HTTP 503)",
    ],
    [
      "a service that exits at once",
      "bun -e 'process.exit(3)'",
      "the service exited (3) before GET /health answered 2xx",
    ],
  ])("%s", (_name, start, reason) => {
    const root = example();
    service(root, start);
    const run = check(["birmel", "--source", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`smoke test GET /health\\s+✘ failed\\s+[\\d.]+s\\s+${RegExp.escape(reason)}`),
    );
  });

  test("a service that starts a detached process passes, and the process is stopped", async () => {
    const root = example();
    service(root, `setsid sleep 3141.${RUN} & bun dist/index.js`);
    const run = check(["birmel", "--source", root]);
    expect(run.stdout).toMatch(/smoke test GET \/health\s+✔ passed/);
    expect(run.code).toBe(0);
    expect(await gone(`sleep 3141.${RUN}`)).toBe(true);
  });
});

describe("reports are kept, and bounded", () => {
  test("--json to a path that cannot be written fails first, exit 2, nothing left behind", () => {
    const root = example();
    for (const bad of [join(root, "missing-dir", "r.json"), join(root, "packages")]) {
      const run = check(["compliance", "--source", root, "--json", bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--json ${bad}: cannot write there`);
      expect(run.stdout).toBe("");
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
    expect(existsSync(join(root, "missing-dir"))).toBe(false);
  });

  test("a task that prints hundreds of MB keeps a bounded tail, and one huge line is capped", () => {
    const root = example();
    script(
      root,
      "money",
      "test",
      `bun -e "const l = 'x'.repeat(1 << 20) + '\\\\n'; for (let i = 0; i < 300; i++) process.stdout.write(l); process.stdout.write('the end\\n'); process.exitCode = 1"`,
    );
    script(
      root,
      "strings",
      "test",
      `bun -e "console.log('y'.repeat(50 * 1024 * 1024)); process.exitCode = 1"`,
    );
    const json = join(root, "r.json");
    const run = check(["packages", "--source", root, "--json", json]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the end");
    expect(run.stdout).toMatch(/earlier bytes not kept in memory; all of it is in .*money.*\.log/);
    expect(run.stdout).toMatch(/y{2000}… \(\d+ more characters\)/);
    expect(run.stdout.length).toBeLessThan(1024 * 1024);
    expect(readFileSync(json, "utf8").length).toBeLessThan(4 * 1024 * 1024);
  });
});
