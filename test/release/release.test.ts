// release.ts end to end in real repositories: a bare origin, a clone to release from, and a
// second clone that plays "someone else" (pushing commits or tags behind our back).
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/helpers.ts";
import { commitAll, git, tempDir, writeFiles } from "../support/git.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const RELEASE = join(REPO, ".buildkite/scripts/release.ts");
const TODAY = new Date().toISOString().slice(0, 10);
const CHANGELOG = `# Changelog

## [Unreleased]

### Added

- Search.

## [0.1.0] - 2026-01-01

- First.

[Unreleased]: https://github.com/acme/x/compare/v0.1.0...HEAD
[0.1.0]: https://github.com/acme/x/releases/tag/v0.1.0
`;

type Fixture = { root: string; origin: string; work: string };
const fixtures: string[] = [];
afterEach(() => {
  for (const dir of fixtures.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function clone(f: Fixture, name: string): string {
  const dir = join(f.root, name);
  git(f.root, "clone", "--quiet", f.origin, dir);
  git(dir, "config", "user.email", "dev@example.com");
  git(dir, "config", "user.name", "Dev");
  return dir;
}

/** v0.1.0 released and pushed; `changelog` is what HEAD carries. */
function fixture(changelog = CHANGELOG): Fixture {
  const root = tempDir("release");
  fixtures.push(root);
  const origin = join(root, "origin.git");
  git(root, "init", "--quiet", "--bare", "--initial-branch=main", origin);
  const f = { root, origin, work: "" };
  const seed = clone(f, "seed");
  git(seed, "checkout", "--quiet", "-b", "main");
  writeFiles(seed, {
    "package.json": '{\n  "name": "x",\n  "version": "0.1.0",\n  "private": true\n}\n',
    "CHANGELOG.md": changelog,
    "src/index.ts": "export {};\n",
  });
  commitAll(seed, "initial");
  git(seed, "tag", "-a", "v0.1.0", "-m", "v0.1.0");
  git(seed, "push", "--quiet", "origin", "main", "v0.1.0");
  f.work = clone(f, "work");
  return f;
}

function release(cwd: string, ...args: string[]) {
  const r = spawnSync("bun", [RELEASE, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Everything a release could touch: refs, index, status and every tracked file's bytes.
 * `remotes: false` leaves out the remote-tracking refs, which preflight's fetch rightly updates.
 */
function state(dir: string, remotes = true): string {
  const files = git(dir, "ls-files").split("\n").filter(Boolean);
  return [
    git(dir, "rev-parse", "HEAD"),
    remotes ? git(dir, "for-each-ref") : git(dir, "for-each-ref", "refs/heads", "refs/tags"),
    git(dir, "ls-files", "--stage"),
    git(dir, "status", "--porcelain", "--untracked-files=all"),
    ...files.map((f) => `${f}\n${readFileSync(join(dir, f), "utf8")}`),
  ].join("\n---\n");
}

describe("release.ts", () => {
  test.each([
    ["patch", "0.1.1"],
    ["minor", "0.2.0"],
    ["major", "1.0.0"],
  ])("--bump %s: changelog, version, one commit, an annotated tag, both pushed", (bump, version) => {
    const f = fixture();
    const r = release(f.work, "--bump", bump, "--yes");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const line of [
      "step=preflight status=ok",
      `step=version old=0.1.0 new=${version}`,
      "step=changelog status=ok source=unreleased entries=1",
      `step=tag tag=v${version} status=ok`,
      "step=push status=ok remote=origin",
    ]) {
      expect(r.stdout).toContain(line);
    }
    const changelog = readFileSync(join(f.work, "CHANGELOG.md"), "utf8");
    expect(changelog).toContain(`## [Unreleased]\n\n## [${version}] - ${TODAY}\n\n### Added\n\n- Search.`);
    expect(changelog).toContain(`[${version}]: https://github.com/acme/x/compare/v0.1.0...v${version}`);
    expect(JSON.parse(readFileSync(join(f.work, "package.json"), "utf8")).version).toBe(version);
    expect(git(f.work, "log", "-1", "--format=%s")).toBe(`chore(release): v${version}`);
    expect(git(f.work, "show", "--stat", "--format=", "HEAD").split("\n").length).toBe(3); // 2 files + summary
    expect(git(f.work, "cat-file", "-t", `v${version}`)).toBe("tag");
    const head = git(f.work, "rev-parse", "HEAD");
    expect(git(f.origin, "rev-parse", "main")).toBe(head);
    expect(git(f.origin, "rev-parse", `v${version}^{commit}`)).toBe(head);
    expect(git(f.work, "status", "--porcelain")).toBe("");
  });

  test("--dry-run prints the diff and the commands, and changes nothing at all", () => {
    const f = fixture();
    const before = state(f.work);
    const originBefore = git(f.origin, "for-each-ref");
    const r = release(f.work, "--bump", "minor", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+## [0.2.0] - ${TODAY}`);
    expect(r.stdout).toContain('-  "version": "0.1.0",');
    expect(r.stdout).toContain(
      "git push --atomic --end-of-options origin HEAD:refs/heads/main refs/tags/v0.2.0",
    );
    expect(state(f.work)).toBe(before);
    expect(git(f.origin, "for-each-ref")).toBe(originBefore);
  });

  const refusals: [string, string, (f: Fixture) => void][] = [
    ["a dirty tree", "clean-tree", (f) => writeFiles(f.work, { "src/index.ts": "export const x = 1;\n" })],
    ["an untracked file", "clean-tree", (f) => writeFiles(f.work, { "notes.txt": "draft\n" })],
    ["the wrong branch", "branch", (f) => git(f.work, "checkout", "--quiet", "-b", "topic")],
    [
      "a branch behind its remote",
      "upstream",
      (f) => {
        const other = clone(f, "other");
        writeFiles(other, { "src/other.ts": "export {};\n" });
        commitAll(other, "someone else's work");
        git(other, "push", "--quiet", "origin", "main");
      },
    ],
    ["a tag that exists only locally", "unpushed-release", (f) => git(f.work, "tag", "v0.1.1")],
    [
      "a tag that exists on the remote",
      "tag",
      (f) => {
        const other = clone(f, "other");
        git(other, "tag", "v0.1.1");
        git(other, "push", "--quiet", "origin", "v0.1.1");
      },
    ],
    [
      "a changelog without [Unreleased]",
      "changelog",
      (f) => {
        writeFiles(f.work, { "CHANGELOG.md": CHANGELOG.replace("## [Unreleased]\n\n", "") });
        commitAll(f.work, "drop unreleased");
        git(f.work, "push", "--quiet", "origin", "main");
      },
    ],
  ];
  test.each(refusals)(
    "refuses %s: exit 2, the check named with its fix, nothing changed",
    (_, check, arrange) => {
      const f = fixture();
      arrange(f);
      const before = state(f.work, false);
      const r = release(f.work, "--bump", "patch", "--yes");
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(`step=preflight status=failed check=${check}`);
      expect(r.stderr).toMatch(/^error: preflight: .+\nfix: .+/);
      expect(state(f.work, false)).toBe(before);
    },
  );

  test("a push the remote rejects leaves no tag, HEAD where it was, and shows the push error", () => {
    const f = fixture();
    const hook = join(f.origin, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'releases are frozen' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const before = state(f.work);
    const r = release(f.work, "--bump", "patch", "--yes");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("step=rollback status=ok");
    expect(r.stderr).toContain("release v0.1.1 failed and was rolled back: git push --atomic");
    expect(r.stderr).toContain("releases are frozen");
    expect(git(f.work, "tag", "--list", "v0.1.1")).toBe("");
    expect(state(f.work)).toBe(before);
    expect(git(f.origin, "tag", "--list", "v0.1.1")).toBe("");
  });

  test("an empty [Unreleased] takes its notes from the Conventional Commits since the last tag", () => {
    const f = fixture(CHANGELOG.replace("### Added\n\n- Search.\n\n", ""));
    for (const [file, msg] of [
      ["a.ts", "feat(search): add fuzzy matching"],
      ["b.ts", "fix: keep the cursor on reload"],
      ["c.ts", "docs: explain search"],
    ] as const) {
      writeFiles(f.work, { [`src/${file}`]: "export {};\n" });
      commitAll(f.work, msg);
    }
    git(f.work, "push", "--quiet", "origin", "main");
    const r = release(f.work, "--bump", "minor", "--yes");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("step=changelog status=ok source=conventional-commits entries=2");
    const changelog = readFileSync(join(f.work, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(
      new RegExp(
        `## \\[0\\.2\\.0\\] - ${TODAY}\\n\\n### Added\\n\\n- \\*\\*search:\\*\\* add fuzzy matching \\(\\w{7}\\)\\n\\n### Fixed\\n\\n- keep the cursor on reload \\(\\w{7}\\)\\n\\n## \\[0\\.1\\.0\\]`,
      ),
    );
  });

  test("--notes-file fills an empty [Unreleased]; plain subjects are the last resort", () => {
    const empty = CHANGELOG.replace("### Added\n\n- Search.\n\n", "");
    const f = fixture(empty);
    writeFileSync(join(f.root, "notes.md"), "### Changed\n\n- Hand-written.\n");
    const withFile = release(
      f.work,
      "--bump",
      "patch",
      "--dry-run",
      "--notes-file",
      join(f.root, "notes.md"),
    );
    expect(withFile.stdout).toContain("source=notes-file entries=1");
    writeFiles(f.work, { "src/d.ts": "export {};\n" });
    commitAll(f.work, "tidy things up");
    git(f.work, "push", "--quiet", "origin", "main");
    const plain = release(f.work, "--bump", "patch", "--dry-run");
    expect(plain.stdout).toContain("source=commit-subjects entries=1");
    expect(plain.stdout).toMatch(/\+- tidy things up \(\w{7}\)/);
  });

  test("a --notes-file that names nothing is bad input, even when [Unreleased] needs no notes", () => {
    const f = fixture();
    for (const path of [join(f.root, "missing.md"), f.root]) {
      const r = release(f.work, "--bump", "patch", "--dry-run", "--notes-file", path);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--notes-file ${path}: no such file`);
      expect(r.stdout).toBe("");
    }
  });

  test("a branch pushed without -u is compared with the remote's branch of the same name", () => {
    const f = fixture();
    git(f.work, "branch", "--unset-upstream");
    const other = clone(f, "other");
    writeFiles(other, { "src/other.ts": "export {};\n" });
    commitAll(other, "someone else's work");
    git(other, "push", "--quiet", "origin", "main");
    const behind = release(f.work, "--bump", "patch", "--yes");
    expect(behind.code).toBe(2);
    expect(behind.stderr).toContain("main is 1 commit(s) behind origin/main");
    git(f.work, "pull", "--quiet", "--ff-only", "origin", "main");
    expect(release(f.work, "--bump", "patch", "--yes").code).toBe(0);
    expect(git(f.origin, "rev-parse", "v0.1.1^{commit}")).toBe(git(f.work, "rev-parse", "HEAD"));
  });

  test("bad arguments exit 2", () => {
    const f = fixture();
    expect(release(f.work, "--bump", "huge").code).toBe(2);
    expect(release(f.work).stderr).toContain("--bump must be patch, minor or major");
    const noTty = spawnSync("bun", [RELEASE, "--bump", "patch"], {
      cwd: f.work,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(noTty.status).toBe(2);
    expect(noTty.stderr).toContain("pass --yes");
  });
});

describe("no config or flag value is ever read as a git option", () => {
  const hostile = (dir: string) => `--upload-pack=touch ${join(dir, "PWNED")};false`;

  test.each([
    [
      "a remote in monorepo-ci.json",
      (d: string) => ({ release: { remote: hostile(d) } }),
      [],
      "release.remote",
    ],
    ["a remote that is only a dash option", () => ({ release: { remote: "-o" } }), [], "release.remote"],
    [
      "a default branch that is an option",
      () => ({ release: { defaultBranch: "--output=x" } }),
      [],
      "release.defaultBranch",
    ],
    [
      "a default branch with ..",
      () => ({ release: { defaultBranch: "main..x" } }),
      [],
      "release.defaultBranch",
    ],
    [
      "a default branch with a space",
      () => ({ release: { defaultBranch: "my branch" } }),
      [],
      "release.defaultBranch",
    ],
    ["--remote on the command line", () => ({}), (d: string) => [`--remote=${hostile(d)}`], "--remote"],
  ] as const)("%s exits 2, names the key and runs nothing", (_name, config, flags, key) => {
    const f = fixture();
    writeFileSync(join(f.work, "monorepo-ci.json"), JSON.stringify(config(f.root)));
    commitAll(f.work, "config");
    const extra = typeof flags === "function" ? flags(f.root) : [...flags];
    for (const mode of ["--dry-run", "--yes"]) {
      const r = release(f.work, "--bump", "patch", mode, ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(key);
      expect(r.stderr).not.toContain("    at ");
    }
    expect(spawnSync("ls", [join(f.root, "PWNED")]).status).not.toBe(0);
    expect(git(f.work, "tag", "--list", "v0.1.1")).toBe("");
  });
});

test('a nested "version" above the top-level one is left alone; the release bumps the right one', () => {
  const f = fixture();
  writeFileSync(
    join(f.work, "package.json"),
    '{\n  "name": "x",\n  "config": {\n    "version": "7.7.7"\n  },\n  "version": "0.1.0",\n  "private": true\n}\n',
  );
  commitAll(f.work, "config with a version");
  git(f.work, "push", "--quiet", "origin", "main");
  const r = release(f.work, "--bump", "minor", "--yes");
  expect(r.code).toBe(0);
  const pkg = JSON.parse(readFileSync(join(f.work, "package.json"), "utf8"));
  expect(pkg).toEqual({ name: "x", config: { version: "7.7.7" }, version: "0.2.0", private: true });
  expect(git(f.origin, "tag", "--list", "v0.2.0")).toBe("v0.2.0");
});

describe("an interrupted release", () => {
  /** A git hook that announces it started, then waits until the test lets it go: no timing. */
  function gate(dir: string, hook: string) {
    const started = join(dir, ".git", `${hook}.started`);
    const go = join(dir, ".git", `${hook}.go`);
    const path = join(dir, ".git", "hooks", hook);
    writeFileSync(path, `#!/bin/sh\ntouch '${started}'\nwhile [ ! -e '${go}' ]; do sleep 0.05; done\n`);
    chmodSync(path, 0o755);
    return { started, go };
  }

  test.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s while it commits rolls everything back and exits %i", async (signal, code) => {
    const f = fixture();
    const before = state(f.work);
    const { started, go } = gate(f.work, "pre-commit");
    const proc = Bun.spawn(["bun", RELEASE, "--bump", "patch", "--yes"], {
      cwd: f.work,
      stdout: "pipe",
      stderr: "pipe",
    });
    while (!existsSync(started)) await Bun.sleep(20);
    proc.kill(signal);
    writeFileSync(go, "");
    const [stderr, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(exitCode).toBe(code);
    expect(stderr).toContain(`release v0.1.1 was interrupted by ${signal} and rolled back`);
    rmSync(join(f.work, ".git", "hooks", "pre-commit"));
    expect(state(f.work)).toBe(before);
    expect(git(f.origin, "tag", "--list", "v0.1.1")).toBe("");
  });

  test("the leftovers of a killed release are refused, with the commands to finish or discard", () => {
    const f = fixture();
    // What SIGKILL between the tag and the push leaves: the release commit and tag, unpushed.
    writeFiles(f.work, {
      "package.json": '{\n  "name": "x",\n  "version": "0.1.1",\n  "private": true\n}\n',
    });
    commitAll(f.work, "chore(release): v0.1.1");
    git(f.work, "tag", "-a", "v0.1.1", "-m", "Release v0.1.1");
    for (const mode of ["--dry-run", "--yes"]) {
      const r = release(f.work, "--bump", "patch", mode);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("origin does not have the release commit");
      expect(r.stderr).toContain(
        "git push --atomic --end-of-options origin HEAD:refs/heads/main refs/tags/v0.1.1",
      );
      expect(r.stderr).toContain("git tag -d v0.1.1 && git reset --hard origin/main");
    }
    expect(git(f.work, "tag", "--list", "v0.1.2")).toBe("");
    // Following the advice finishes the release; the next one then goes ahead as usual.
    git(f.work, "push", "--quiet", "--atomic", "origin", "HEAD:refs/heads/main", "refs/tags/v0.1.1");
    expect(git(f.origin, "rev-parse", "v0.1.1^{commit}")).toBe(git(f.work, "rev-parse", "HEAD"));
  });

  test("a local release tag the remote lacks is refused too", () => {
    const f = fixture();
    git(f.work, "tag", "-a", "v0.1.5", "-m", "stray");
    const r = release(f.work, "--bump", "patch", "--dry-run");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tag(s) v0.1.5");
    expect(r.stderr).toContain("git push --end-of-options origin refs/tags/v0.1.5");
    expect(r.stderr).toContain("git tag -d v0.1.5");
  });
});
