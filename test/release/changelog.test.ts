import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rollForward, sectionBody, unreleasedEntries } from "../../.dagger/src/release/changelog.ts";
import { conventionalNotes, plainNotes } from "../../.dagger/src/release/conventional.ts";
import { runCli } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const KAC = `# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added

- A new flag.
- Another thing.

## [1.1.0] - 2025-03-01

### Fixed

- A crash.

## [1.0.0] - 2025-01-01

- First.

[Unreleased]: https://github.com/acme/x/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/acme/x/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/acme/x/releases/tag/v1.0.0
`;

describe("rollForward", () => {
  test("moves [Unreleased] under a dated heading, opens a fresh one, and updates the compare links", () => {
    const out = rollForward(KAC, "1.2.0", "2026-11-21");
    expect(out).toBe(
      KAC.replace("## [Unreleased]\n", "## [Unreleased]\n\n## [1.2.0] - 2026-11-21\n").replace(
        "[Unreleased]: https://github.com/acme/x/compare/v1.1.0...HEAD\n",
        "[Unreleased]: https://github.com/acme/x/compare/v1.2.0...HEAD\n[1.2.0]: https://github.com/acme/x/compare/v1.1.0...v1.2.0\n",
      ),
    );
    expect(unreleasedEntries(out)).toBe(0);
    expect(sectionBody(out, "1.2.0")).toBe("### Added\n\n- A new flag.\n- Another thing.");
  });

  test("fills an empty [Unreleased] from notes, and links a first release to its tag", () => {
    const first = "# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://github.com/acme/x/commits/HEAD\n";
    const out = rollForward(first, "0.1.0", "2026-11-21", "### Added\n\n- Everything\n");
    expect(out).toBe(
      "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-21\n\n### Added\n\n- Everything\n\n" +
        "[Unreleased]: https://github.com/acme/x/compare/v0.1.0...HEAD\n[0.1.0]: https://github.com/acme/x/releases/tag/v0.1.0\n",
    );
  });

  test("refuses a changelog without [Unreleased]", () => {
    expect(() => rollForward("# Changelog\n\n## [1.0.0] - 2025-01-01\n", "1.0.1", "2026-11-21")).toThrow(
      "CHANGELOG.md has no ## [Unreleased] section",
    );
  });
});

describe("notes from commits", () => {
  const c = (subject: string, body = "") => ({ hash: `${subject.length}abcdef0123`, subject, body });
  test("Conventional Commits are grouped, breaking changes first", () => {
    const notes = conventionalNotes([
      c("feat(api): add search"),
      c("fix: handle empty input"),
      c("perf: cache the index"),
      c("chore: bump deps"),
      c("feat!: drop node 18"),
      c("refactor(core): split parser", "BREAKING CHANGE: parse() is now async"),
      c("fix(security): escape HTML"),
      c("remove: the legacy endpoint"),
    ]);
    expect(notes?.entries).toBe(7);
    expect(notes?.notes.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      "### Breaking",
      "### Added",
      "### Changed",
      "### Removed",
      "### Fixed",
      "### Security",
    ]);
    expect(notes?.notes).toContain("- **api:** add search (");
    expect(notes?.notes).toMatch(/### Breaking\n\n- drop node 18 \(.{7}\)\n- \*\*core:\*\* split parser/);
  });
  test("no user-facing conventional commit → undefined, and the plain fallback lists subjects", () => {
    const commits = [c("update the readme"), c("chore(release): v1.0.0"), c("tweak")];
    expect(conventionalNotes(commits)).toBeUndefined();
    expect(plainNotes(commits)?.notes).toMatch(
      /^### Changed\n\n- update the readme \(.{7}\)\n- tweak \(.{7}\)$/,
    );
  });
});

/** Shapes seen in the wild: bare, v-prefixed, linked and yanked headings, no link block. */
const SHAPES: Record<string, { text: string; version: string; body: string }> = {
  "bracketed with links": { text: KAC, version: "v1.1.0", body: "### Fixed\n\n- A crash." },
  "the last section, above the link block": { text: KAC, version: "1.0.0", body: "- First." },
  "bare headings": {
    text: "# Changes\n\n## 2.0.0\n\n* Big change\n\n## 1.9.0\n\n* Small\n",
    version: "v2.0.0",
    body: "* Big change",
  },
  "v-prefixed headings with dates": {
    text: "# Changelog\n\n## v3.1.0 - 2024-05-05\nNo blank line after the heading.\n\n## v3.0.0 - 2024-01-01\n\nOld.\n",
    version: "3.1.0",
    body: "No blank line after the heading.",
  },
  "linked headings": {
    text: "## [4.0.0](https://github.com/a/b/compare/v3.0.0...v4.0.0) (2024-02-02)\n\n### Features\n\n* x ([abc](https://github.com/a/b/commit/abc))\n",
    version: "v4.0.0",
    body: "### Features\n\n* x ([abc](https://github.com/a/b/commit/abc))",
  },
  "a yanked release": {
    text: "## [Unreleased]\n\n## [0.3.1] - 2024-03-03 [YANKED]\n\n- Broke things.\n\n## [0.3.0] - 2024-03-01\n\n- Fine.\n",
    version: "v0.3.1",
    body: "- Broke things.",
  },
};

describe("release-notes.ts", () => {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-notes-"));
  for (const [name, shape] of Object.entries(SHAPES)) {
    test(`prints exactly the section body: ${name}`, () => {
      const file = join(dir, `${name.replaceAll(" ", "-")}.md`);
      writeFileSync(file, shape.text);
      const r = runCli(".buildkite/scripts/release-notes.ts", [shape.version, "--changelog", file]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${shape.body}\n`);
    });
  }
  test("an unknown version exits 2 and names it", () => {
    const file = join(dir, "kac.md");
    writeFileSync(file, KAC);
    const r = runCli(".buildkite/scripts/release-notes.ts", ["v9.9.9", "--changelog", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no section for v9.9.9");
    expect(r.stdout).toBe("");
  });
  test("a missing changelog exits 2 and names the path", () => {
    const r = runCli(".buildkite/scripts/release-notes.ts", ["v1.0.0", "--changelog", join(dir, "nope.md")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nope.md");
  });
  test("cleanup", () => rmSync(dir, { recursive: true, force: true }));
});
