// Every function of the module, invoked the way the engine invokes it: the runtime's entrypoint in
// a fresh bun process, against the engine stand-in (test/support/engine). What a real engine
// adds (images, container filesystems, the cache) is out of reach here; see the README.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import versionsJson from "../../.dagger/versions.json" with { type: "json" };
import { BUN_CACHE, MODULE, SRC, TRIVY_CACHE } from "../../.dagger/src/executors/dagger.ts";
import { CHECK_FUNCTIONS, invoke, type Invocation } from "../support/engine/invoke.ts";
import type { ExecRecord } from "../support/engine/stand-in.ts";
import { copyExample, editJson, EXAMPLE, REPO, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const SLOW = 300_000;
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
/** publish of `sourceDir` to ghcr.io/acme for 0.2.0, with credentials a test checks are never printed. */
const publishFrom = (sourceDir: string) =>
  invoke({
    fn: "publish",
    sourceDir,
    args: {
      gitSha: "0123456789abcdef0123",
      version: "0.2.0",
      registry: "ghcr.io/acme",
      registryUsername: { secret: "robot" },
      registryPassword: { secret: "hunter2-not-printed" },
    },
  });
/** The image references a publish returned, digests cut. */
const pushed = (r: Invocation) =>
  String(returned(r))
    .split("\n")
    .map((l) => l.split("@")[0]);

/** The source's installs (the toolbox's own, of the module, runs in MODULE). */
const installs = (r: Invocation): ExecRecord[] =>
  r.recording.execs.filter((e) => e.argv[1] === "install" && e.workdir.startsWith(SRC));

describe("the five checks and ci on the demo", () => {
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
      ["suppression ratchet", "secretlint", "shellcheck"],
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
    for (const row of rows) expect(text).toContain(row);
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
  });

  test("ci runs the very execs the five functions run, so the engine's cache serves them", () => {
    const keys = (r: Invocation) => new Set(r.recording.execs.map((e) => e.key));
    const ci = keys(reports.ci as Invocation);
    for (const fn of CHECK_FUNCTIONS) {
      for (const key of keys(reports[fn] as Invocation)) expect(ci.has(key)).toBe(true);
    }
  });
});

describe("failures are reports, never raw engine errors", () => {
  test(
    "a failing exec fails the function with that task named and its output",
    async () => {
      const r = await invoke({
        fn: "packageValidation",
        sourceDir: EXAMPLE,
        faults: [{ argv: /^bun run test( |$)/, exitCode: 1, stderr: "money.test.ts: 1 fail" }],
      });
      const message = failedWith(r);
      expect(message).toContain(":package: Packages: FAILED");
      expect(message).toMatch(/@example\/money test\s+✘ failed/);
      expect(message).toContain("money.test.ts: 1 fail");
      expect(message).toMatch(/@example\/money build\s+✔ passed/);
    },
    SLOW,
  );

  test(
    "ci still reports all five checks and the build when one exec fails",
    async () => {
      const r = await invoke({
        fn: "ci",
        sourceDir: EXAMPLE,
        faults: [{ argv: /^prettier --check \.$/, exitCode: 2, stderr: "[warn] src/a.ts" }],
      });
      const message = failedWith(r);
      expect(message).toContain("CI: FAILED");
      for (const label of [
        ":scroll: Compliance",
        ":iphone: Mobile",
        ":robot_face: Birmel",
        ":package: Packages",
      ]) {
        expect(message).toMatch(new RegExp(`${label}\\s+✔ passed`));
      }
      expect(message).toMatch(/:shield: Quality & security\s+✘ failed/);
      expect(message).toMatch(/workspace build\s+✔ passed/);
    },
    SLOW,
  );

  test(
    "a failed install is a failed task with the engine's message, and nothing else is lost",
    async () => {
      const r = await invoke({
        fn: "mobileCi",
        sourceDir: EXAMPLE,
        faults: [
          { argv: /^bun install --frozen-lockfile$/, exitCode: 1, stderr: "error: lockfile had changes" },
        ],
      });
      const message = failedWith(r);
      expect(message).toContain("in the engine, bun install --frozen-lockfile exited 1");
      expect(message).toContain("error: lockfile had changes");
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
      const root = copyExample();
      try {
        editJson(root, "monorepo-ci.json", (json) => {
          json.mobile = { workspace: 42 };
        });
        const message = failedWith(await invoke({ fn: "mobileCi", sourceDir: root }));
        expect(message).toContain("monorepo-ci.json");
        expect(message).toContain("mobile.workspace");
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
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
    write(root, "scripts/setup.ts", "console.log('generated');\n");
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
    "codeReview, updateReadmes, publish and githubRelease return their results",
    async () => {
      const root = copyExample();
      try {
        write(
          root,
          "review.diff",
          "--- a/packages/money/src/index.ts\n+++ b/packages/money/src/index.ts\n@@ -1,0 +1,1 @@\n+// @ts-ignore\n",
        );
        write(
          root,
          "CHANGELOG.md",
          "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-01-02\n\n### Added\n\n- Money.\n",
        );
        const review = await invoke({
          fn: "codeReview",
          sourceDir: root,
          args: { diff: { file: join(root, "review.diff") } },
        });
        expect(String(returned(review))).toContain("`packages/money/src/index.ts:1` adds `@ts-ignore`");

        const readmes = await invoke({ fn: "updateReadmes", sourceDir: REPO });
        expect(String(returned(readmes))).toMatch(/^stand-in-id-\d+$/);

        const publish = await publishFrom(root);
        expect(pushed(publish)).toEqual([
          "ghcr.io/acme/birmel:0123456789ab",
          "ghcr.io/acme/birmel:0.2.0",
          "(the CI image was not built: the source has no dagger.json)",
        ]);
        expect(publish.stdout + publish.stderr).not.toContain("hunter2-not-printed");

        const release = await invoke({
          fn: "githubRelease",
          sourceDir: root,
          args: { tag: "v0.2.0", repository: "acme/shop", githubToken: { secret: "ghp_not_printed" } },
        });
        expect(returned(release)).toBe(
          "updated the GitHub Release v0.2.0 of acme/shop, with 5 binaries and SHA256SUMS",
        );
        const gh = release.recording.execs.map((e) => e.argv.join(" "));
        expect(gh).toContain("gh release edit v0.2.0 --title v0.2.0 --notes-file /release/notes.md");
        const upload = gh.find((c) => c.startsWith("gh release upload")) as string;
        expect(upload).toContain("gh release upload v0.2.0 --clobber /release/bin/birmel-0.1.0-linux-x64 ");
        expect(upload).toEndWith("/release/bin/birmel-0.1.0-windows-x64.exe /release/bin/SHA256SUMS");

        // The same plan as `bun run binaries`: one bun build --compile per target, then the sums.
        const bins = await invoke({ fn: "binaries", sourceDir: root });
        expect(String(returned(bins))).toMatch(/^stand-in-id-\d+$/);
        const compiles = bins.recording.execs.filter((e) => e.argv.includes("--compile"));
        expect(compiles.map((e) => [e.workdir, e.argv.join(" ")])).toEqual(
          ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "windows-x64"].map((t) => [
            "/src/packages/birmel",
            `bun build --compile --target=bun-${t} src/index.ts --outfile /out/birmel-0.1.0-${t}${t.startsWith("windows") ? ".exe" : ""}`,
          ]),
        );
        expect(bins.recording.execs.at(-1)?.argv).toEqual(["sh", "-c", "sha256sum -- * > SHA256SUMS"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

describe("coverage", () => {
  test(
    "runs every package's tests with coverage in the engine and reads each package's lcov",
    async () => {
      const r = await invoke({
        fn: "coverage",
        sourceDir: EXAMPLE,
        faults: [
          {
            argv: /^cat -- coverage\/lcov\.info$/,
            exitCode: 0,
            stdout: "SF:src/index.ts\nLF:2\nLH:2\nend_of_record\n",
          },
        ],
      });
      expect(String(returned(r))).toMatch(/^stand-in-id-\d+$/);
      const tests = r.recording.execs.filter((e) => e.argv.join(" ").startsWith("bun run test --coverage"));
      expect(tests.map((e) => e.workdir).sort()).toEqual(
        ["birmel", "mobile", "money", "strings"].map((p) => `/src/packages/${p}`),
      );
      const reads = r.recording.execs.filter((e) => e.argv[0] === "cat");
      expect(reads.map((e) => e.workdir).sort()).toEqual(tests.map((e) => e.workdir).sort());
      // Only the tests and what they need ran: no lint, no build, no smoke test.
      expect(r.recording.execs.some((e) => e.argv.join(" ") === "bun run lint")).toBe(false);
    },
    SLOW,
  );
});

describe("the CI image", () => {
  test(
    "ciImage installs the tools at the pinned versions and the module's dependencies, and publish pushes it",
    async () => {
      const built = await invoke({ fn: "ciImage", sourceDir: REPO });
      expect(String(returned(built))).toMatch(/^stand-in-id-\d+$/);
      expect(built.recording.images).toEqual([versionsJson.images.bun]);
      const execs = built.recording.execs;
      const run = (pattern: RegExp) => execs.find((e) => pattern.test(e.argv.join(" ")));
      expect(run(/^apt-get install -y --no-install-recommends ca-certificates curl jq$/)).toBeDefined();
      const engine = (
        JSON.parse(readFileSync(join(REPO, "dagger.json"), "utf8")) as { engineVersion: string }
      ).engineVersion;
      // Versions reach the install scripts as variables (set in the exec's chain); the scripts
      // themselves are constants.
      const kubectl = run(/dl\.k8s\.io/) as ExecRecord;
      expect(kubectl.argv[2]).toContain("${KUBECTL_VERSION}");
      expect(kubectl.argv.join(" ")).not.toContain(versionsJson.tools.kubectl);
      expect(kubectl.key).toContain(
        `withEnvVariable{"name":"KUBECTL_VERSION","value":"${versionsJson.tools.kubectl}"}`,
      );
      const dagger = run(/dl\.dagger\.io/) as ExecRecord;
      expect(dagger.argv.join(" ")).not.toContain(engine.slice(1));
      expect(dagger.key).toContain(`withEnvVariable{"name":"DAGGER_VERSION","value":"${engine.slice(1)}"}`);
      const install = run(/^bun install --frozen-lockfile/) as ExecRecord;
      expect(install.workdir).toBe("/opt/monorepo-ci-image/.dagger");
      expect(install.visible?.sort()).toEqual(["bun.lock", "package.json"]);

      const publish = await publishFrom(REPO);
      expect(pushed(publish)).toEqual([
        "ghcr.io/acme/birmel:0123456789ab",
        "ghcr.io/acme/birmel:0.2.0",
        "ghcr.io/acme/monorepo-ci:0123456789ab",
        "ghcr.io/acme/monorepo-ci:0.2.0",
      ]);
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
