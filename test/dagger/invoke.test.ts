// Every function of the module, invoked the way the engine invokes it: the module laid out as the
// engine's bun runtime lays it out, started by the runtime's entrypoint in a fresh bun process,
// against the engine stand-in, which replays every container chain for real in Docker
// (test/support/engine). Faults are real: a failing test, a lint error, a service that crashes or
// never listens, each seeded in a copy of the demo. What only a real engine proves is listed in
// docs/architecture.md.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import versionsJson from "../../.dagger/versions.json" with { type: "json" };
import { BUN_CACHE, MODULE, SRC, TRIVY_CACHE } from "../../.dagger/src/executors/dagger.ts";
import { CHECK_FUNCTIONS, invoke, type Invocation } from "../support/engine/invoke.ts";
import type { ExecRecord } from "../support/engine/stand-in.ts";
import { copyExample, edit, editJson, EXAMPLE, REPO, write } from "../support/helpers.ts";

// These tests start real processes and containers; a busy machine must not fail them by the clock.
setDefaultTimeout(300_000);

const SLOW = 600_000;
const PINNED = new Set(Object.values(versionsJson.images));

const returned = (r: Invocation) => {
  if (r.recording.returned?.kind !== "value") {
    throw new Error(`expected a return value, got ${JSON.stringify(r.recording.returned)}\n${r.stderr}`);
  }
  return r.recording.returned.value;
};
const failedWith = (r: Invocation) => {
  if (r.recording.returned?.kind !== "error") {
    throw new Error(`expected an error, got ${JSON.stringify(r.recording.returned)}\n${r.stderr}`);
  }
  expect(r.exitCode).toBe(1);
  return r.recording.returned.message;
};

/** The source's installs (the toolbox's own, of the module, runs in MODULE). */
const installs = (r: Invocation): ExecRecord[] =>
  r.recording.execs.filter((e) => e.argv[1] === "install" && e.workdir.startsWith(SRC));

/** A private copy of the demo with one fault seeded; removed after the test. */
async function withFault<T>(seed: (root: string) => void, run: (root: string) => Promise<T>): Promise<T> {
  const root = copyExample();
  try {
    seed(root);
    return await run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("the five checks and ci on the demo, every exec in a container", () => {
  const reports: Record<string, Invocation> = {};
  beforeAll(async () => {
    for (const fn of [...CHECK_FUNCTIONS, "ci"]) {
      reports[fn] = await invoke({ fn, sourceDir: EXAMPLE });
    }
  }, SLOW);

  test.each([
    ["complianceCheck", ":scroll: Compliance: PASSED", ["workspace scripts", "no key or .env files"]],
    [
      "qualityChecks",
      ":shield: Quality & security: PASSED",
      ["suppression ratchet", "eslint", "prettier --check", "secretlint", "shellcheck"],
    ],
    ["mobileCi", ":iphone: Mobile: PASSED", ["@example/mobile typecheck", "@example/mobile test"]],
    ["birmelValidation", ":robot_face: Birmel: PASSED", ["@example/birmel build", "smoke test GET /health"]],
    ["packageValidation", ":package: Packages: PASSED", ["@example/money test", "@example/strings build"]],
    ["ci", "CI: PASSED", [":scroll: Compliance", ":package: Packages", "workspace build"]],
  ])("%s returns its report", (fn, heading, rows) => {
    const r = reports[fn] as Invocation;
    expect(r.exitCode).toBe(0);
    const text = String(returned(r));
    expect(text).toStartWith(heading);
    for (const row of rows) expect(text).toMatch(new RegExp(`${row}\\s+✔ passed`));
  });

  test("the real tools ran: coverage comes from bun's own report, the service answered", () => {
    const packages = String(returned(reports.packageValidation as Invocation));
    // The demo leaves one helper of @example/strings untested: a real run cannot say 100%.
    expect(packages).toMatch(/@example\/strings test\s+✔ passed\s+[\d.]+s\s+lines (?!100\.0%)[\d.]+%/);
    expect(String(returned(reports.birmelValidation as Invocation))).toMatch(/GET \/health answered/);
  });

  test("Trivy, which the stand-in's image does not have, is reported skipped with why, never passed", () => {
    const text = String(returned(reports.qualityChecks as Invocation));
    expect(text).toMatch(/trivy fs\s+- skipped\s+[\d.]+s\s+skipped \(trivy is not in aquasec\/trivy:/);
    expect(text).not.toMatch(/trivy fs\s+✔/);
  });

  test("every image is one pinned in versions.json, every cache volume one of ours", () => {
    for (const r of Object.values(reports)) {
      expect(r.recording.images.length).toBeGreaterThan(0);
      for (const image of r.recording.images) expect(PINNED.has(image)).toBe(true);
      for (const volume of r.recording.cacheVolumes) expect([BUN_CACHE, TRIVY_CACHE]).toContain(volume);
    }
    expect(reports.qualityChecks?.recording.cacheVolumes).toContain(TRIVY_CACHE);
  });

  test("planning and the inline tasks run as the module's own code in a container", () => {
    const quality = reports.qualityChecks as Invocation;
    const ours = quality.recording.execs.filter((e) => e.argv[1] === `${MODULE}/cli/engine.ts`);
    expect(ours.map((e) => e.argv.slice(2, 5).join(" "))).toEqual(
      expect.arrayContaining([
        "plan quality --source",
        "inline quality suppressions",
        "inline quality secrets",
      ]),
    );
    for (const e of ours) expect(e.image).toBe(versionsJson.images.bun);
  });

  test("ci runs the very execs the five functions run, so the engine's cache serves them", () => {
    const keys = (r: Invocation) => new Set(r.recording.execs.map((e) => e.key));
    const ci = reports.ci as Invocation;
    const ciKeys = keys(ci);
    for (const fn of CHECK_FUNCTIONS) {
      for (const key of keys(reports[fn] as Invocation)) expect(ciKeys.has(key)).toBe(true);
    }
    // And so it did: ci's own execs of the checks' work were served, not run again.
    const checkKeys = new Set(CHECK_FUNCTIONS.flatMap((fn) => [...keys(reports[fn] as Invocation)]));
    const again = ci.recording.execs.filter((e) => checkKeys.has(e.key) && !e.cached);
    expect(again).toEqual([]);
  });
});

describe("one real fault per check fails the right function, naming the task", () => {
  test(
    "a failing test fails packageValidation at that package's test, with the test's own output",
    async () => {
      const message = await withFault(
        (root) =>
          write(
            root,
            "packages/money/src/broken.test.ts",
            'import { expect, test } from "bun:test";\ntest("seeded fault", () => { expect(1 + 1).toBe(3); });\n',
          ),
        async (root) => failedWith(await invoke({ fn: "packageValidation", sourceDir: root })),
      );
      expect(message).toContain(":package: Packages: FAILED");
      expect(message).toMatch(/@example\/money test\s+✘ failed/);
      expect(message).toContain("seeded fault");
      expect(message).toMatch(/@example\/strings test\s+✔ passed/);
      // Nothing of that call reaches the next one: another source, with no fault, passes.
      const clean = await withFault(
        (root) => write(root, "packages/money/src/extra.ts", "export const extra = 1;\n"),
        async (root) => invoke({ fn: "packageValidation", sourceDir: root }),
      );
      expect(String(returned(clean))).toStartWith(":package: Packages: PASSED");
    },
    SLOW,
  );

  test(
    "a lint error fails mobileCi at its lint task",
    async () => {
      const message = await withFault(
        (root) => edit(root, "packages/mobile/src/cart.ts", (text) => `${text}\nconst seededUnused = 1;\n`),
        async (root) => failedWith(await invoke({ fn: "mobileCi", sourceDir: root })),
      );
      expect(message).toMatch(/@example\/mobile lint\s+✘ failed/);
      expect(message).toContain("seededUnused");
      expect(message).toMatch(/@example\/mobile test\s+✔ passed/);
    },
    SLOW,
  );

  test(
    "a file Prettier would rewrite fails qualityChecks at prettier; ci still reports every check",
    async () => {
      const seed = (root: string) =>
        write(root, "packages/money/src/ugly.ts", "export const   ugly = {a:1,\n b:2}\n");
      const message = await withFault(seed, async (root) =>
        failedWith(await invoke({ fn: "ci", sourceDir: root })),
      );
      expect(message).toContain("CI: FAILED");
      for (const label of [
        ":scroll: Compliance",
        ":iphone: Mobile",
        ":robot_face: Birmel",
        ":package: Packages",
      ]) {
        expect(message).toMatch(new RegExp(`${label}\\s+✔ passed`));
      }
      expect(message).toMatch(/:shield: Quality & security\s+✘ failed\s+[\d.]+s\s+prettier --check/);
      expect(message).toMatch(/workspace build\s+✔ passed/);
    },
    SLOW,
  );

  test(
    "a .env with a secret fails complianceCheck naming the file",
    async () => {
      const message = await withFault(
        (root) => write(root, "packages/money/.env.production", "API_TOKEN=abc\n"),
        async (root) => failedWith(await invoke({ fn: "complianceCheck", sourceDir: root })),
      );
      expect(message).toMatch(/no key or \.env files\s+✘ failed/);
      expect(message).toContain("packages/money/.env.production");
    },
    SLOW,
  );

  test(
    "a service that crashes on start fails birmelValidation at the smoke test, with its output",
    async () => {
      const message = await withFault(
        (root) =>
          editJson(root, "packages/birmel/package.json", (json) => {
            json.scripts = {
              ...(json.scripts as object),
              start: "bun -e \"console.error('seeded crash'); process.exit(3)\"",
            };
          }),
        async (root) => failedWith(await invoke({ fn: "birmelValidation", sourceDir: root })),
      );
      expect(message).toMatch(/@example\/birmel build\s+✔ passed/);
      expect(message).toMatch(/smoke test GET \/health\s+✘ failed/);
      expect(message).toContain("exited 3 before it listened on 8080");
      expect(message).toContain("seeded crash");
    },
    SLOW,
  );

  test(
    "a service that never listens fails birmelValidation at the smoke test",
    async () => {
      const message = await withFault(
        (root) =>
          editJson(root, "packages/birmel/package.json", (json) => {
            json.scripts = { ...(json.scripts as object), start: "sleep 600" };
          }),
        async (root) =>
          failedWith(await invoke({ fn: "birmelValidation", sourceDir: root, serviceTimeoutMs: 3_000 })),
      );
      expect(message).toMatch(/smoke test GET \/health\s+✘ failed/);
      expect(message).toContain("port 8080 did not accept connections");
    },
    SLOW,
  );

  test(
    "a manifest out of step with bun.lock fails the install, and every task that needed it",
    async () => {
      const message = await withFault(
        (root) =>
          editJson(root, "packages/mobile/package.json", (json) => {
            json.dependencies = { ...(json.dependencies as object), "left-pad": "1.3.0" };
          }),
        async (root) => failedWith(await invoke({ fn: "mobileCi", sourceDir: root })),
      );
      expect(message).toContain("in the engine, bun install --frozen-lockfile exited 1");
      // bun's own words: it looks the new dependency up, which fails with no network.
      expect(message).toContain("left-pad@1.3.0 failed to resolve");
      for (const task of ["typecheck", "lint", "prettier --check", "test"]) {
        expect(message).toMatch(new RegExp(`@example/mobile ${task}\\s+✘ failed`));
      }
    },
    SLOW,
  );

  test(
    "an image that cannot be pulled fails its task; the others still run",
    async () => {
      const r = await invoke({
        fn: "qualityChecks",
        sourceDir: EXAMPLE,
        missingImages: [versionsJson.images.shellcheck],
      });
      const message = failedWith(r);
      expect(message).toMatch(/shellcheck\s+✘ failed\s+[\d.]+s\s+the engine failed: failed to resolve/);
      expect(message).toMatch(/secretlint\s+✔ passed/);
      expect(message).toMatch(/eslint\s+✔ passed/);
    },
    SLOW,
  );

  test(
    "bad config in the source is bad input: the function fails with the file and key named",
    async () => {
      const message = await withFault(
        (root) =>
          editJson(root, "monorepo-ci.json", (json) => {
            json.mobile = { workspace: 42 };
          }),
        async (root) => failedWith(await invoke({ fn: "mobileCi", sourceDir: root })),
      );
      expect(message).toContain("monorepo-ci.json");
      expect(message).toContain("mobile.workspace");
    },
    SLOW,
  );
});

describe("the install in the engine", () => {
  let root: string;
  let r: Invocation;
  beforeAll(async () => {
    root = copyExample();
    editJson(root, "package.json", (json) => {
      json.scripts = { ...(json.scripts as object), postinstall: "bun scripts/setup.ts" };
    });
    write(root, "scripts/setup.ts", "await Bun.write('generated-by-postinstall.txt', 'yes');\n");
    write(root, "bunfig.toml", "[install]\nexact = true\n");
    write(root, ".npmrc", "save-exact=true\n");
    write(root, "patches/left-pad@1.3.0.patch", "--- a/index.js\n+++ b/index.js\n");
    r = await invoke({ fn: "packageValidation", sourceDir: root });
  }, SLOW);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("first installs from the dependency layer: manifests, lockfile, bunfig, .npmrc, patches", () => {
    expect(String(returned(r))).toContain("PASSED");
    const [first] = installs(r);
    expect(first?.workdir).toBe(SRC);
    expect(first?.visible).toEqual(
      expect.arrayContaining([
        "package.json",
        "bun.lock",
        "bunfig.toml",
        ".npmrc",
        "patches/left-pad@1.3.0.patch",
        "packages/money/package.json",
        "packages/birmel/package.json",
      ]),
    );
    // Source files are not in it: that is what keeps it cached across edits.
    expect(first?.visible).not.toContain("scripts/setup.ts");
    expect(first?.visible).not.toContain("packages/money/src/index.ts");
  });

  test("then installs again with the whole source, so lifecycle scripts find their files", () => {
    const [, second] = installs(r);
    expect(second?.argv).toEqual(["bun", "install", "--frozen-lockfile"]);
    expect(second?.visible).toContain("scripts/setup.ts");
    expect(second?.visible).toContain("packages/money/src/index.ts");
  });

  test(
    "--source=. on this repository reaches the quality checks",
    async () => {
      const own = await invoke({ fn: "qualityChecks", sourceDir: REPO });
      const text = String(returned(own));
      for (const task of ["suppression ratchet", "eslint", "prettier --check", "secretlint"]) {
        expect(text).toMatch(new RegExp(`${task}\\s+✔ passed`));
      }
      const second = installs(own).find((e, i) => i > 0 && e.workdir === SRC);
      expect(second).toBeDefined();
      expect(second?.visible).toContain(".buildkite/build.ts");
    },
    SLOW,
  );
});

describe("the other functions", () => {
  test(
    "codeReview and updateReadmes return their results",
    async () => {
      const root = copyExample();
      try {
        write(
          root,
          "review.diff",
          "--- a/packages/money/src/index.ts\n+++ b/packages/money/src/index.ts\n@@ -1,0 +1,1 @@\n+// @ts-ignore\n",
        );
        const review = await invoke({
          fn: "codeReview",
          sourceDir: root,
          args: { diff: { file: join(root, "review.diff") } },
        });
        expect(String(returned(review))).toContain("`packages/money/src/index.ts:1` adds `@ts-ignore`");

        const readmes = await invoke({ fn: "updateReadmes", sourceDir: REPO });
        expect(Object.keys(readmes.recording.directory ?? {}).sort()).toEqual(["README.md", "justfile"]);
        expect(readmes.recording.directory?.["README.md"]).toBe(
          readFileSync(join(REPO, "README.md"), "utf8"),
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  test(
    "binaries builds every target in a container and returns them with their real SHA256SUMS",
    async () => {
      const bins = await invoke({ fn: "binaries", sourceDir: EXAMPLE });
      returned(bins);
      const files = bins.recording.directory ?? {};
      const targets = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"];
      const names = targets.map((t) => `birmel-0.1.0-${t}${t.startsWith("windows") ? ".exe" : ""}`);
      expect(Object.keys(files).sort()).toEqual([...names, "SHA256SUMS"].sort());
      const sums = (files.SHA256SUMS ?? "").trim().split("\n");
      expect(sums.map((l) => l.split(/\s+\*?/)[1]).sort()).toEqual(names.sort());
      for (const line of sums) expect(line).toMatch(/^[0-9a-f]{64} /);
    },
    SLOW,
  );

  test(
    "coverage merges the lcov each package's real test run wrote",
    async () => {
      const r = await invoke({ fn: "coverage", sourceDir: EXAMPLE });
      returned(r);
      const lcov = r.recording.directory?.["lcov.info"] ?? "";
      for (const p of ["birmel", "mobile", "money", "strings"])
        expect(lcov).toContain(`SF:packages/${p}/src/`);
      const tests = r.recording.execs.filter((e) => e.argv.join(" ").startsWith("bun run test --coverage"));
      expect(tests.map((e) => e.workdir).sort()).toEqual(
        ["birmel", "mobile", "money", "strings"].map((p) => `/src/packages/${p}`),
      );
      // Only the tests and what they need ran: no lint, no build, no smoke test.
      expect(r.recording.execs.some((e) => e.argv.join(" ") === "bun run lint")).toBe(false);
    },
    SLOW,
  );

  test(
    "publish builds the service image for real; the stand-in refuses the push and records it, printing no secret",
    async () => {
      const root = copyExample();
      try {
        const r = await invoke({
          fn: "publish",
          sourceDir: root,
          args: {
            gitSha: "0123456789abcdef0123",
            version: "0.2.0",
            registry: "ghcr.io/acme",
            registryUsername: { secret: "robot" },
            registryPassword: { secret: "hunter2-not-printed" },
          },
        });
        expect(failedWith(r)).toContain("publish ghcr.io/acme/birmel:0123456789ab: refused");
        expect(r.recording.published).toEqual(["ghcr.io/acme/birmel:0123456789ab"]);
        expect(r.recording.execs.some((e) => e.argv.join(" ") === "bun run build")).toBe(true);
        expect(r.stdout + r.stderr + JSON.stringify(r.recording)).not.toContain("hunter2-not-printed");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  test(
    "ciImage and githubRelease need the network; here they fail at their first download, saying so",
    async () => {
      const image = failedWith(await invoke({ fn: "ciImage", sourceDir: REPO }));
      // apt-get finds no mirror: its install of curl and jq is the first step that fails.
      expect(image).toMatch(/process "apt-get install [^"]*" did not complete successfully/);
      const root = copyExample();
      try {
        write(
          root,
          "CHANGELOG.md",
          "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-01-02\n\n### Added\n\n- Money.\n",
        );
        const release = await invoke({
          fn: "githubRelease",
          sourceDir: root,
          args: { tag: "v0.2.0", repository: "acme/shop", githubToken: { secret: "ghp_not_printed" } },
        });
        const message = failedWith(release);
        expect(message).toContain('exec: "apk": executable file not found');
        expect(release.stdout + release.stderr + message).not.toContain("ghp_not_printed");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  test("without a dagger.json in the source, ciImage fails saying so", async () => {
    const r = await invoke({ fn: "ciImage", sourceDir: EXAMPLE });
    expect(failedWith(r)).toContain("ci-image: the source has no dagger.json");
  });
});

test("the module's runtime is pinned to the bun the tests and checks use", () => {
  const pkg = JSON.parse(readFileSync(join(REPO, ".dagger", "package.json"), "utf8")) as {
    dagger: { runtime: string };
  };
  const setup = readFileSync(join(REPO, ".ci", "setup"), "utf8");
  const bun = /npm install -g bun@([\d.]+)/.exec(setup)?.[1];
  expect(pkg.dagger.runtime).toBe(`bun@${bun}`);
  expect(versionsJson.images.bun).toStartWith(`oven/bun:${bun}-`);
  expect(Bun.version).toBe(bun as string);
});
