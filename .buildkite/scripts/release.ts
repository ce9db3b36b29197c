#!/usr/bin/env bun
// Cuts a release from the default branch: version bump, changelog roll-forward, one commit, an
// annotated tag, one atomic push. Any failure before the push has succeeded puts the repository
// back exactly as it was. Usage: see USAGE.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import semver from "semver";
import { parseCli, main } from "../../.dagger/cli/io.ts";
import { loadReleaseSettings } from "../../.dagger/src/config/load.ts";
import { GitRemoteName } from "../../.dagger/src/config/git-names.ts";
import { InputError, parseWith } from "../../.dagger/src/errors.ts";
import { rollForward, unreleasedEntries } from "../../.dagger/src/release/changelog.ts";
import { conventionalNotes, plainNotes, type Commit } from "../../.dagger/src/release/conventional.ts";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { git } from "../lib/git.ts";
import { logfmt } from "../lib/release/logfmt.ts";
import { preflight } from "../lib/release/preflight.ts";
import { watchSignals } from "../lib/release/signals.ts";
import { readVersion, writeVersion } from "../lib/release/version-files.ts";

const USAGE =
  "usage: bun .buildkite/scripts/release.ts --bump patch|minor|major [--dry-run] [--notes-file PATH] [--remote NAME] [--yes]";
const CHANGELOG = "CHANGELOG.md";
const log = (fields: Record<string, string | number>) => process.stdout.write(`${logfmt(fields)}\n`);

/** git that must succeed; the error names the command and carries git's own message. */
function must(cwd: string, args: string[]): string {
  const r = git(cwd, args);
  if (!r.ok) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Commits since the last `v*` tag (all commits when there is none), oldest first. */
function commitsSinceLastTag(cwd: string): { since: string; commits: Commit[] } {
  const last = git(cwd, ["describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"]);
  const since = last.ok ? last.stdout.trim() : "";
  const range = since ? [`${since}..HEAD`] : ["HEAD"];
  const out = must(cwd, ["log", "--no-merges", "--reverse", "--format=%H%x1f%s%x1f%b%x1e", ...range]);
  const commits = out
    .split("\x1e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [hash = "", subject = "", body = ""] = r.split("\x1f");
      return { hash, subject, body };
    });
  return { since: since || "the first commit", commits };
}

/** `git diff --no-index` of two texts: the dry run shows exactly what would change. */
function showDiff(file: string, before: string, after: string): void {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-release-"));
  try {
    writeFileSync(join(dir, "before"), before);
    writeFileSync(join(dir, "after"), after);
    const r = git(dir, [
      "diff",
      "--no-index",
      "--no-color",
      "--src-prefix=a/",
      "--dst-prefix=b/",
      "before",
      "after",
    ]);
    process.stdout.write(r.stdout.replaceAll("a/before", `a/${file}`).replaceAll("b/after", `b/${file}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    {
      bump: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "notes-file": { type: "string" },
      remote: { type: "string" },
      yes: { type: "boolean", short: "y", default: false },
    },
    true,
  );
  const bump = values.bump;
  if (bump !== "patch" && bump !== "minor" && bump !== "major") {
    throw new InputError(`--bump must be patch, minor or major${bump ? `, not ${bump}` : ""}\n${USAGE}`);
  }
  if (positionals.length) throw new InputError(`unexpected argument ${positionals[0]}\n${USAGE}`);
  // Checked whether or not it ends up used: a path that names nothing is a mistake either way.
  const notesFile = values["notes-file"];
  if (notesFile !== undefined && !statSync(notesFile, { throwIfNoEntry: false })?.isFile()) {
    throw new InputError(`--notes-file ${notesFile}: no such file`);
  }
  const cwd = process.cwd();
  const view = new HostSource(cwd);
  const settings = await loadReleaseSettings(view);
  const remote =
    values.remote === undefined ? settings.remote : parseWith(GitRemoteName, values.remote, "--remote");
  const branch = settings.defaultBranch;

  const versionFiles = await Promise.all(
    settings.versionedFiles.map(async (file) => {
      const text = await view.readText(file);
      if (text === undefined) throw new InputError(`${file}: listed in release.versionedFiles but missing`);
      return { file, text };
    }),
  );
  const [root] = versionFiles;
  const oldVersion = root ? readVersion(root.text, root.file) : "";
  if (!semver.valid(oldVersion))
    throw new InputError(`${root?.file}: version ${JSON.stringify(oldVersion)} is not semver`);
  const newVersion = semver.inc(oldVersion, bump) as string;
  const tag = `v${newVersion}`;
  const changelog = await view.readText(CHANGELOG);

  const refusal = preflight({ cwd, branch, remote, tag, changelog });
  if (refusal) {
    log({ step: "preflight", status: "failed", check: refusal.check });
    throw new InputError(`preflight: ${refusal.problem}\nfix: ${refusal.fix}`);
  }
  log({ step: "preflight", status: "ok" });
  log({ step: "version", old: oldVersion, new: newVersion });

  // Notes: [Unreleased] as written; else --notes-file; else Conventional Commits; else subjects.
  const current = changelog as string;
  let source: string;
  let entries = unreleasedEntries(current);
  let notes: string | undefined;
  if (entries > 0) {
    source = "unreleased";
  } else if (values["notes-file"]) {
    try {
      notes = readFileSync(values["notes-file"], "utf8");
    } catch (cause) {
      throw new InputError(`--notes-file ${values["notes-file"]}: ${(cause as Error).message}`, { cause });
    }
    source = "notes-file";
    entries = notes.split("\n").filter((l) => /^\s*[-*]\s+\S/.test(l)).length;
  } else {
    const { since, commits } = commitsSinceLastTag(cwd);
    const conventional = conventionalNotes(commits);
    const generated = conventional ?? plainNotes(commits);
    if (!generated)
      throw new InputError(
        `nothing to release: [Unreleased] is empty and there are no commits since ${since}`,
      );
    source = conventional ? "conventional-commits" : "commit-subjects";
    ({ notes, entries } = generated);
  }
  const today = new Date().toISOString().slice(0, 10);
  const nextChangelog = rollForward(current, newVersion, today, notes);
  log({ step: "changelog", status: "ok", source, entries });

  const writes = [
    ...versionFiles.map(({ file, text }) => ({
      file,
      before: text,
      after: writeVersion(text, file, newVersion),
    })),
    { file: CHANGELOG, before: current, after: nextChangelog },
  ];
  const message = `chore(release): ${tag}`;
  const files = writes.map((w) => w.file);
  const commands = [
    ["git", "add", "--", ...files],
    ["git", "commit", "-m", message],
    ["git", "tag", "-a", tag, "-m", `Release ${tag}`],
    ["git", "push", "--atomic", "--end-of-options", remote, `HEAD:refs/heads/${branch}`, `refs/tags/${tag}`],
  ];

  if (values["dry-run"]) {
    for (const w of writes) showDiff(w.file, w.before, w.after);
    process.stdout.write(
      `would run:\n${commands.map((c) => `  ${c.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`).join("\n")}\n`,
    );
    log({ step: "dry-run", status: "ok", tag });
    return 0;
  }
  if (!values.yes) {
    if (!process.stdin.isTTY) throw new InputError("no terminal to confirm on: pass --yes to release");
    if (!/^y(es)?$/i.test(prompt(`Release ${tag} from ${branch} to ${remote}? [y/N]`) ?? "")) {
      log({ step: "confirm", status: "declined" });
      return 1;
    }
  }

  const origin = must(cwd, ["rev-parse", "HEAD"]).trim();
  const signals = watchSignals();
  let tagged = false;
  try {
    for (const w of writes) writeFileSync(join(cwd, w.file), w.after);
    // What is on disk is what gets committed: each versioned file must carry the new version.
    for (const { file } of versionFiles) {
      const written = readVersion(readFileSync(join(cwd, file), "utf8"), file);
      if (written !== newVersion)
        throw new Error(`${file}: wrote version ${written}, expected ${newVersion}`);
    }
    await signals.checkpoint();
    for (const [, ...args] of commands.slice(0, 2)) must(cwd, args);
    log({ step: "commit", status: "ok", message });
    await signals.checkpoint();
    must(cwd, commands[2]?.slice(1) ?? []);
    tagged = true;
    log({ step: "tag", tag, status: "ok" });
    await signals.checkpoint();
    must(cwd, commands[3]?.slice(1) ?? []);
    log({ step: "push", status: "ok", remote });
  } catch (error) {
    // Undo everything local; report the cause first, and a failed undo after it, never instead.
    const undo = [
      tagged ? git(cwd, ["tag", "-d", tag]) : undefined,
      git(cwd, ["reset", "--hard", "--quiet", origin]),
    ];
    const failedUndo = undo.filter((r) => r && !r.ok).map((r) => r?.stderr);
    log({ step: "rollback", status: failedUndo.length ? "failed" : "ok", head: origin.slice(0, 12) });
    const tail = failedUndo.length ? `\nrollback also failed: ${failedUndo.join("; ")}` : "";
    if (signals.received) {
      process.stderr.write(`release ${tag} was interrupted by ${signals.received} and rolled back${tail}\n`);
      return signals.exitCode();
    }
    throw new Error(`release ${tag} failed and was rolled back: ${(error as Error).message}${tail}`, {
      cause: error,
    });
  } finally {
    signals.stop();
  }
  // A signal that came during the push takes effect once it returns: by then the release is out.
  if (signals.received) log({ step: "interrupt", signal: signals.received, status: "after-push" });
  return 0;
});
