// The Buildkite wrappers, run for real by bash, with stand-in kubectl, dagger and curl on PATH
// (the real ones need a cluster and the network). jq, git, bun and coreutils are the real ones.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CHANGES_REQUESTED } from "../../.dagger/src/review/review.ts";
import { REPO } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

let repo: string;
let stand: string;

const READY = (name: string, ready: boolean) => ({
  metadata: { name },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

/** A minimal checkout: the scripts, dagger.json, versions.json and a dependency-free module. */
beforeAll(() => {
  repo = tempDir("scripts");
  stand = join(repo, "stand-ins");
  for (const f of readdirSync(join(REPO, ".buildkite/scripts"))) {
    writeFiles(repo, { [`.buildkite/scripts/${f}`]: "" });
    copyFileSync(join(REPO, ".buildkite/scripts", f), join(repo, ".buildkite/scripts", f));
  }
  writeFiles(repo, {
    "dagger.json": readFileSync(join(REPO, "dagger.json"), "utf8"),
    ".dagger/versions.json": readFileSync(join(REPO, ".dagger/versions.json"), "utf8"),
    ".dagger/package.json": '{ "name": "fixture-module", "private": true }\n',
    "stand-ins/kubectl": `#!/usr/bin/env bash
printf 'kubectl %s\\n' "$*" >>"$STAND_LOG"
case "$1" in
  version) printf '{"clientVersion":{"gitVersion":"%s"}}\\n' "\${FAKE_KUBECTL_VERSION:-v1.31.4}" ;;
  get) cat "$FAKE_PODS" ;;
esac
`,
    "stand-ins/dagger": `#!/usr/bin/env bash
printf 'dagger %s\\n' "$*" >>"$STAND_LOG"
if [ "$1" = version ]; then echo "dagger \${FAKE_DAGGER_VERSION:-v0.21.9} (stand-in) linux/amd64"; exit 0; fi
printf '%s\\n' "$@" >"$DAGGER_ARGS_OUT"
printf 'engine=%s\\n' "$_EXPERIMENTAL_DAGGER_RUNNER_HOST" >>"$DAGGER_ARGS_OUT"
`,
    // Serves the two downloads setup-dagger.sh makes: the dagger install script and kubectl.
    "stand-ins/curl": `#!/usr/bin/env bash
printf 'curl %s\\n' "$*" >>"$STAND_LOG"
out=""; url=""
while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done
case "$url" in
  */install.sh) printf '%s\\n' 'printf "#!/bin/sh\\necho \\"dagger v%s (installed) linux/amd64\\"\\n" "$DAGGER_VERSION" >"$BIN_DIR/dagger"; chmod +x "$BIN_DIR/dagger"' ;;
  */kubectl) printf '#!/bin/sh\\n[ "$1" = version ] && { echo "{\\"clientVersion\\":{\\"gitVersion\\":\\"installed\\"}}"; exit; }\\nexec "%s" "$@"\\n' "$STAND_KUBECTL" >"$out" ;;
  *) echo "stand-in curl: unexpected $url" >&2; exit 22 ;;
esac
`,
  });
  for (const f of ["kubectl", "dagger", "curl"]) chmodSync(join(stand, f), 0o755);
  const lock = spawnSync("bun", ["install"], { cwd: join(repo, ".dagger"), encoding: "utf8" });
  if (lock.status !== 0) throw new Error(`bun install in the fixture failed: ${lock.stderr}`);
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

type Result = { code: number | null; stdout: string; stderr: string; log: string[]; args: string[] };

/** bash -c `script` in the fixture with stand-ins first on PATH; returns what they recorded. */
function bash(
  script: string,
  env: Record<string, string> = {},
  pods: unknown[] | string = [READY("engine-0", true)],
  cwd = repo,
): Result {
  const dir = tempDir("run");
  const log = join(dir, "log");
  const args = join(dir, "args");
  const podsText = typeof pods === "string" ? pods : JSON.stringify({ items: pods });
  writeFiles(dir, { "pods.json": podsText, log: "", args: "" });
  const r = spawnSync("bash", ["-c", script], {
    cwd,
    encoding: "utf8",
    env: {
      PATH: `${stand}:${process.env.PATH}`,
      HOME: dir,
      DAGGER_BIN_DIR: join(dir, "bin"),
      STAND_LOG: log,
      DAGGER_ARGS_OUT: args,
      FAKE_PODS: join(dir, "pods.json"),
      STAND_KUBECTL: join(stand, "kubectl"),
      ...env,
    },
  });
  const result = {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    log: readFileSync(log, "utf8").split("\n").filter(Boolean),
    args: readFileSync(args, "utf8").split("\n").filter(Boolean),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const SETUP = "source .buildkite/scripts/setup-dagger.sh";

describe("setup-dagger.sh", () => {
  test("finds a Ready engine pod and exports its kube-pod address", () => {
    const r = bash(`${SETUP} && echo "host=$_EXPERIMENTAL_DAGGER_RUNNER_HOST"`, {}, [
      READY("engine-0", false),
      READY("engine-1", true),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("host=kube-pod://engine-1?namespace=dagger");
    expect(r.log).toContain(
      "kubectl get pods --namespace dagger --selector name=dagger-dagger-helm-engine -o json",
    );
  });

  test("uses the configured namespace and label", () => {
    const r = bash(`${SETUP} && echo "host=$_EXPERIMENTAL_DAGGER_RUNNER_HOST"`, {
      DAGGER_ENGINE_NAMESPACE: "ci-engines",
      DAGGER_ENGINE_LABEL: "app=engine",
    });
    expect(r.stdout).toContain("host=kube-pod://engine-0?namespace=ci-engines");
    expect(r.log).toContain("kubectl get pods --namespace ci-engines --selector app=engine -o json");
  });

  test("is idempotent: a second source does nothing, and the caller's directory is kept", () => {
    const r = bash(
      `cd .buildkite && ${SETUP.replace(".buildkite/", "")} && source scripts/setup-dagger.sh && pwd`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(repo, ".buildkite"));
    expect(r.log.filter((l) => l.startsWith("kubectl get"))).toHaveLength(1);
    expect(r.log.filter((l) => l.startsWith("dagger version"))).toHaveLength(1);
  });

  test("takes an engine address that is already set, without asking kubectl", () => {
    const preset = bash(`${SETUP} && echo "host=$_EXPERIMENTAL_DAGGER_RUNNER_HOST"`, {
      _EXPERIMENTAL_DAGGER_RUNNER_HOST: "tcp://engine:1234",
    });
    expect(preset.stdout).toContain("host=tcp://engine:1234");
    const addr = bash(`${SETUP} && echo "host=$_EXPERIMENTAL_DAGGER_RUNNER_HOST"`, {
      DAGGER_ENGINE_ADDR: "tcp://other:8080",
    });
    expect(addr.stdout).toContain("host=tcp://other:8080");
    for (const r of [preset, addr]) expect(r.log.some((l) => l.startsWith("kubectl get"))).toBe(false);
  });

  test("without a Ready pod it fails with a clear error", () => {
    const r = bash(`${SETUP} && echo reached`, {}, [READY("engine-0", false)]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain("reached");
    expect(r.stderr).toContain(
      "no Ready Dagger engine pod with label name=dagger-dagger-helm-engine in namespace dagger",
    );
  });

  test("in the CI image's tool set (the tools at the pinned versions) nothing is installed", () => {
    const r = bash(SETUP);
    expect(r.code).toBe(0);
    expect(r.log.some((l) => l.startsWith("curl"))).toBe(false);
    expect(r.stderr).not.toContain("installing");
  });

  test("a version mismatch takes the install path, pinned from dagger.json and versions.json", () => {
    const r = bash(`${SETUP} && dagger version && kubectl version --client -o json`, {
      FAKE_DAGGER_VERSION: "v0.20.0",
      FAKE_KUBECTL_VERSION: "v1.20.0",
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("installing dagger v0.21.9 (found v0.20.0)");
    expect(r.stderr).toContain("installing kubectl v1.31.4 (found v1.20.0)");
    expect(r.log).toContain("curl -fsSL https://dl.dagger.io/dagger/install.sh");
    expect(r.log.some((l) => l.includes("https://dl.k8s.io/release/v1.31.4/bin/linux/"))).toBe(true);
    expect(r.stdout).toContain("dagger v0.21.9 (installed)");
  });
});

describe("run-dagger.sh and ci-main.sh", () => {
  test("arguments with spaces and shell characters reach dagger intact", () => {
    const r = bash(
      `.buildkite/scripts/run-dagger.sh code-review --source=. --diff="my dir/pr 1.diff" 'x;y $(id) \`z\`'`,
    );
    expect(r.code).toBe(0);
    expect(r.args).toEqual([
      "-v",
      "call",
      "code-review",
      "--source=.",
      "--diff=my dir/pr 1.diff",
      "x;y $(id) `z`",
      "engine=kube-pod://engine-0?namespace=dagger",
    ]);
  });

  test("ci-main.sh adds the commit at run time as one argument, then passes the rest through", () => {
    const r = bash(".buildkite/scripts/ci-main.sh ci --token=env://SOME_TOKEN", {
      BUILDKITE_COMMIT: "abc def;$(id)",
    });
    expect(r.code).toBe(0);
    expect(r.args.slice(0, 6)).toEqual([
      "-v",
      "call",
      "ci",
      "--source=.",
      "--git-sha=abc def;$(id)",
      "--token=env://SOME_TOKEN",
    ]);
  });

  test("ci-main.sh gives publish and github-release their tag-build values", () => {
    const env = {
      BUILDKITE_COMMIT: "0123456789abcdef",
      BUILDKITE_TAG: "v1.2.3",
      BUILDKITE_REPO: "git@github.com:acme/mono.git",
      PUBLISH_REGISTRY: "ghcr.io/acme",
    };
    const publish = bash(
      ".buildkite/scripts/ci-main.sh publish --registry-password=env://REGISTRY_PASSWORD",
      env,
    );
    expect(publish.args.slice(2, 8)).toEqual([
      "publish",
      "--source=.",
      "--git-sha=0123456789abcdef",
      "--version=1.2.3",
      "--registry=ghcr.io/acme",
      "--registry-password=env://REGISTRY_PASSWORD",
    ]);
    const release = bash(".buildkite/scripts/ci-main.sh github-release", {
      ...env,
      BUILDKITE_REPO: "https://github.com/acme/mono",
    });
    expect(release.args.slice(2, 6)).toEqual([
      "github-release",
      "--source=.",
      "--tag=v1.2.3",
      "--repository=acme/mono",
    ]);
  });

  test("ci-main.sh refuses a function it has no arguments for", () => {
    const r = bash(".buildkite/scripts/ci-main.sh compliance-check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no run-time arguments are defined for compliance-check");
    expect(r.args).toEqual([]);
  });

  test("a toolchain repository calls the function under the toolchain's name; a bad name calls nothing", () => {
    const r = bash(".buildkite/scripts/run-dagger.sh compliance-check --source=.", {
      MONOREPO_CI_TOOLCHAIN: "monorepo",
    });
    expect(r.code).toBe(0);
    expect(r.args.slice(0, 5)).toEqual(["-v", "call", "monorepo", "compliance-check", "--source=."]);
    for (const bad of ["--mod=x", "Mono", "a b", "x;id"]) {
      const refused = bash(".buildkite/scripts/run-dagger.sh ci", { MONOREPO_CI_TOOLCHAIN: bad });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("MONOREPO_CI_TOOLCHAIN must be a toolchain name");
      expect(refused.args).toEqual([]);
    }
  });

  test("run-dagger.sh fails, and calls nothing, when setup fails", () => {
    const r = bash(".buildkite/scripts/run-dagger.sh ci", {}, []);
    expect(r.code).not.toBe(0);
    expect(r.args).toEqual([]);
  });
});

/** The fixture with some files replaced, for inputs the shared one must not carry. */
function variant(files: Record<string, string>): string {
  const dir = tempDir("variant");
  spawnSync("cp", ["-a", `${repo}/.`, dir]);
  writeFiles(dir, files);
  return dir;
}

describe("wrapper scripts on bad input", () => {
  test.each([
    ["no engineVersion", '{ "name": "m", "sdk": "typescript" }'],
    ["engineVersion null", '{ "name": "m", "engineVersion": null }'],
    ["engineVersion latest", '{ "name": "m", "engineVersion": "latest" }'],
    ["engineVersion with shell characters", '{ "name": "m", "engineVersion": "v1; rm -rf /" }'],
  ])("setup-dagger.sh with %s fails clearly and installs nothing", (_name, daggerJson) => {
    const dir = variant({ "dagger.json": daggerJson });
    try {
      const r = bash(SETUP, { FAKE_DAGGER_VERSION: "v0.0.1" }, undefined, dir);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("dagger.json: engineVersion must be a release such as v0.21.9");
      expect(r.stderr).not.toContain("installing dagger");
      expect(r.log.filter((l) => l.startsWith("curl"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ["an error message", "error: You must be logged in to the server (Unauthorized)\n"],
    ["an HTML page", "<html><body>502 Bad Gateway</body></html>\n"],
    ["nothing", ""],
  ])("setup-dagger.sh when kubectl prints %s instead of JSON says so", (_name, output) => {
    const r = bash(SETUP, {}, output);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /setup-dagger: (kubectl get pods did not return JSON|no Ready Dagger engine pod)/,
    );
    expect(r.stderr).not.toMatch(/^jq: /m);
  });

  test.each([
    ["ssh://git@git.example.com:2222/org/repo.git", "org/repo"],
    ["https://github.com/acme/mono/", "acme/mono"],
    ["https://github.com/acme/mono.git/", "acme/mono"],
    ["git@github.com:acme/mono.git", "acme/mono"],
  ])("ci-main.sh github-release reads owner/name from %s", (url, slug) => {
    const r = bash(".buildkite/scripts/ci-main.sh github-release", {
      BUILDKITE_TAG: "v1.2.3",
      BUILDKITE_REPO: url,
    });
    expect(r.code).toBe(0);
    expect(r.args).toContain(`--repository=${slug}`);
  });

  test.each([["nonsense"], ["https://github.com/"]])(
    "ci-main.sh refuses a repository URL %p, exit 2",
    (url) => {
      const r = bash(".buildkite/scripts/ci-main.sh github-release", {
        BUILDKITE_TAG: "v1.2.3",
        BUILDKITE_REPO: url,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("cannot tell owner/name from BUILDKITE_REPO");
      expect(r.args).toEqual([]);
    },
  );

  test.each([
    ["code-review.sh", { CI_DIFF_BASE: "HEAD" }],
    [
      "update-readmes.sh",
      {
        README_COMMIT_MESSAGE: "docs [skip ci]",
        README_BOT_EMAIL: "b@x",
        BUILDKITE_BRANCH: "main",
        GITHUB_TOKEN: "t",
      },
    ],
  ])("%s under --host-checks installs nothing and never asks for an engine", (script, env) => {
    const dir = variant({});
    try {
      spawnSync("git", ["init", "-q", dir]);
      spawnSync("git", [
        "-C",
        dir,
        "-c",
        "user.email=a@b",
        "-c",
        "user.name=a",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
      ]);
      const r = bash(
        `.buildkite/scripts/${script}`,
        { ...env, MONOREPO_CI_HOST_CHECKS: "1" },
        undefined,
        dir,
      );
      expect(r.log).toEqual([]);
      expect(r.stderr).not.toContain("setup-dagger");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("shellcheck .buildkite/scripts/*.sh is clean", () => {
  const r = spawnSync("bash", ["-c", "shellcheck .buildkite/scripts/*.sh .ci/run .ci/setup"], {
    cwd: REPO,
    encoding: "utf8",
  });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("code-review.sh looks for the marker the review writes", () => {
  expect(readFileSync(join(REPO, ".buildkite/scripts/code-review.sh"), "utf8")).toContain(
    `'${CHANGES_REQUESTED}'`,
  );
});
