// The host and the engine see one file set, and a check asks the engine for as much on a big
// source as on a small one: both follow from running the same listing code inside a container.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { invoke, type Invocation } from "../support/engine/invoke.ts";
import { addGeneratedFiles } from "../support/engine/generated.ts";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { git } from "../support/git.ts";
import { check, exampleCopies, REPO, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const SLOW = 300_000;
const source = exampleCopies();
const outcome = (r: Invocation) => r.recording.returned;

/** A copy of the demo made a git repository whose index holds everything .gitignore allows. */
function repository(): string {
  const root = source();
  git(root, "init", "-q");
  git(root, "add", "-A");
  return root;
}

/** A GitHub token in .env form, made at run time so this file holds none. */
const SECRET = `GITHUB_TOKEN=${["ghp", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"].join("_")}\n`;

describe("one file set on the host and in the engine: git is the truth", () => {
  test(
    "an untracked .env that .gitignore covers is invisible to both: compliance passes in both",
    async () => {
      const root = repository();
      write(root, ".env", "DATABASE_URL=postgres://local\n");
      write(root, "packages/money/.gitignore", "local/\n");
      write(root, "packages/money/local/id_rsa", "not a key, but named like one\n");
      const host = check(["compliance", "--source", root]);
      expect(host.code).toBe(0);
      const engine = await invoke({ fn: "complianceCheck", sourceDir: root });
      expect(outcome(engine)?.kind).toBe("value");
    },
    SLOW,
  );

  test(
    "a tracked .env that .gitignore covers is seen by both: compliance and the secret scan fail in both",
    async () => {
      const root = repository();
      write(root, ".gitignore", `${readFileSync(join(root, ".gitignore"), "utf8")}.env\n`);
      write(root, "deploy/.env", SECRET);
      write(root, "deploy/.gitignore", ".env\n");
      git(root, "add", "-A");
      git(root, "add", "-f", "deploy/.env");
      const host = check(["compliance", "--source", root]);
      expect(host.code).toBe(1);
      expect(host.stdout).toContain("deploy/.env");
      const hostQuality = check(["quality", "--source", root, "--no-cache"]);
      expect(hostQuality.stdout).toMatch(/secretlint\s+✘ failed/);
      expect(hostQuality.stdout).toContain("deploy/.env:");
      const engine = await invoke({ fn: "complianceCheck", sourceDir: root });
      expect(outcome(engine)?.kind).toBe("error");
      expect(JSON.stringify(outcome(engine))).toContain("deploy/.env");
      // The same holds for a source inside a repository (the demo inside this one, say).
      expect(await new HostSource(join(root, "deploy")).listFiles()).toContain(".env");
    },
    SLOW,
  );

  test(
    "where git's index cannot be read, files .gitignore hides are checked anyway, and the report says so",
    async () => {
      const root = source();
      write(root, ".env", "DATABASE_URL=postgres://local\n");
      const host = check(["compliance", "--source", root]);
      expect(host.code).toBe(1);
      expect(host.stdout).toContain(".env");
      expect(host.stdout).toContain(
        "it cannot be known which are tracked (no git repository holds the source)",
      );
      const engine = await invoke({ fn: "complianceCheck", sourceDir: root });
      expect(outcome(engine)?.kind).toBe("error");
      expect(JSON.stringify(outcome(engine))).toContain("cannot be known which are tracked");
    },
    SLOW,
  );

  test(
    "a .env that no .gitignore covers fails compliance in both, naming the file",
    async () => {
      const root = repository();
      write(root, "packages/money/.env.production", "API_TOKEN=abc\n");
      const host = check(["compliance", "--source", root]);
      expect(host.code).toBe(1);
      expect(host.stdout).toContain("packages/money/.env.production");
      const engine = await invoke({ fn: "complianceCheck", sourceDir: root });
      expect(outcome(engine)?.kind).toBe("error");
      expect(JSON.stringify(outcome(engine))).toContain("packages/money/.env.production");
    },
    SLOW,
  );
});

describe("nothing of the user's repo reaches the module's own output", () => {
  /** A bunfig.toml whose preload prints and a .env: what bun picks up from its working directory. */
  const plant = (root: string) => {
    write(root, "bunfig.toml", 'preload = ["./preload.ts"]\n');
    write(root, "preload.ts", 'console.log("PRELOADED-FROM-THE-REPO");\n');
    write(root, ".gitignore", ".env\n");
    write(root, ".env", "MONOREPO_CI_PLANTED=from-dotenv\n");
  };

  test(
    "in the engine, planning runs in the module's directory: its JSON stays clean",
    async () => {
      const root = repository();
      plant(root);
      const engine = await invoke({ fn: "complianceCheck", sourceDir: root });
      expect(outcome(engine)?.kind).toBe("value");
      const planning = engine.recording.execs.filter((e) => e.argv[1]?.endsWith("/cli/engine.ts"));
      expect(planning.length).toBeGreaterThan(0);
      for (const e of planning) expect(e.workdir).not.toStartWith("/src");
    },
    SLOW,
  );

  test("on the host, the check script as package.json runs it reads neither", () => {
    const root = repository();
    plant(root);
    const script = (
      JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts.check as string;
    const argv = [
      ...script.replace(".dagger/", `${join(REPO, ".dagger")}/`).split(" "),
      "compliance",
      "--source",
      ".",
    ];
    const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toContain("PRELOADED-FROM-THE-REPO");
    // The same process without the flags would have run the preload: the plant works.
    const plain = spawnSync("bun", [join(REPO, ".dagger/cli/check.ts"), "compliance", "--source", "."], {
      cwd: root,
      encoding: "utf8",
    });
    expect(plain.stdout).toContain("PRELOADED-FROM-THE-REPO");
  });
});

describe("engine requests do not grow with the number of files", () => {
  test.each([["complianceCheck"], ["qualityChecks"]])(
    "%s makes as many requests with 500 more files (within 5)",
    async (fn) => {
      const small = await invoke({ fn, sourceDir: source() });
      const bigRoot = source();
      addGeneratedFiles(bigRoot, 500);
      const big = await invoke({ fn, sourceDir: bigRoot });
      expect(outcome(small)?.kind).toBe("value");
      expect(outcome(big)?.kind).toBe("value");
      expect(Math.abs(big.recording.requests - small.recording.requests)).toBeLessThanOrEqual(5);
    },
    SLOW,
  );
});
