import { hasUnreleased } from "../../../.dagger/src/release/changelog.ts";
import { git } from "../git.ts";

/** A check that did not hold: which one, what is wrong, and how to fix it. */
export type Refusal = { check: string; problem: string; fix: string };

export type PreflightInput = {
  cwd: string;
  branch: string;
  remote: string;
  tag: string;
  changelog: string | undefined;
};

/**
 * Every condition for a release, in order; the first that fails is returned. `git fetch` is the
 * only thing it changes (remote-tracking refs), which a dry run also needs to be truthful.
 */
export function preflight({ cwd, branch, remote, tag, changelog }: PreflightInput): Refusal | undefined {
  const head = git(cwd, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (!head.ok || head.stdout.trim() !== branch) {
    const where = head.ok ? `on branch ${head.stdout.trim()}` : "on a detached HEAD";
    return {
      check: "branch",
      problem: `${where}; releases are cut from ${branch}`,
      fix: `git switch ${branch}`,
    };
  }
  const status = git(cwd, ["status", "--porcelain", "--untracked-files=all"]);
  if (!status.ok)
    return {
      check: "clean-tree",
      problem: `git status failed: ${status.stderr}`,
      fix: "check the repository",
    };
  const dirty = status.stdout.split("\n").filter(Boolean);
  if (dirty.length) {
    const sample = dirty
      .slice(0, 3)
      .map((l) => l.slice(3))
      .join(", ");
    return {
      check: "clean-tree",
      problem: `the working tree is not clean (${dirty.length} path(s): ${sample}${dirty.length > 3 ? ", …" : ""})`,
      fix: "commit, stash (git stash --include-untracked) or remove them",
    };
  }
  // --no-tags: remote tags are checked with ls-remote; importing them would change local refs.
  const fetch = git(cwd, ["fetch", "--quiet", "--no-tags", "--end-of-options", remote]);
  if (!fetch.ok)
    return {
      check: "fetch",
      problem: `git fetch ${remote} failed: ${fetch.stderr}`,
      fix: `check that ${remote} is reachable`,
    };
  // The configured upstream, or else the remote's branch of the same name (a branch pushed
  // without -u); a branch the remote does not have yet cannot be behind it.
  const configured = git(cwd, ["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"]);
  const up = configured.ok ? configured.stdout.trim() : `${remote}/${branch}`;
  const exists = git(cwd, ["rev-parse", "--quiet", "--verify", `refs/remotes/${up}`]).ok || configured.ok;
  if (exists) {
    const counts = git(cwd, ["rev-list", "--left-right", "--count", "--end-of-options", `HEAD...${up}`]);
    if (!counts.ok)
      return {
        check: "upstream",
        problem: `cannot compare ${branch} with ${up}: ${counts.stderr}`,
        fix: "check the remote branch",
      };
    const [ahead = 0, behind = 0] = counts.stdout.trim().split(/\s+/).map(Number);
    if (behind > 0) {
      return ahead > 0
        ? {
            check: "upstream",
            problem: `${branch} and ${up} have diverged (${ahead} ahead, ${behind} behind)`,
            fix: `git pull --rebase ${remote} ${branch}`,
          }
        : {
            check: "upstream",
            problem: `${branch} is ${behind} commit(s) behind ${up}`,
            fix: "git pull --ff-only",
          };
    }
  }
  const leftover = unpushedRelease(cwd, remote, branch, exists ? up : undefined);
  if (leftover) return leftover;
  if (git(cwd, ["rev-parse", "--quiet", "--verify", "--end-of-options", `refs/tags/${tag}`]).ok) {
    return {
      check: "tag",
      problem: `tag ${tag} already exists locally`,
      fix: `bump further, or delete it: git tag -d ${tag}`,
    };
  }
  const remoteTag = git(cwd, ["ls-remote", "--tags", "--end-of-options", remote, `refs/tags/${tag}`]);
  if (!remoteTag.ok)
    return {
      check: "tag",
      problem: `git ls-remote ${remote} failed: ${remoteTag.stderr}`,
      fix: `check that ${remote} is reachable`,
    };
  if (remoteTag.stdout.trim()) {
    return {
      check: "tag",
      problem: `tag ${tag} already exists on ${remote}`,
      fix: "bump further: that version is released",
    };
  }
  if (changelog === undefined) {
    return {
      check: "changelog",
      problem: "there is no CHANGELOG.md",
      fix: "create one in Keep a Changelog form with a ## [Unreleased] section",
    };
  }
  if (!hasUnreleased(changelog)) {
    return {
      check: "changelog",
      problem: "CHANGELOG.md has no ## [Unreleased] section",
      fix: "add ## [Unreleased] above the latest release",
    };
  }
  return undefined;
}

const RELEASE_SUBJECT = /^chore\(release\): (v\d+\.\d+\.\d+\S*)$/;

/**
 * What an earlier release left when it was killed before its push (SIGKILL, a lost machine):
 * a release commit the remote branch lacks, or a local `v*` tag the remote lacks. Releasing over
 * it would ship the next version on top of one that was never pushed, so it is refused with the
 * exact commands to finish it or to throw it away.
 */
function unpushedRelease(
  cwd: string,
  remote: string,
  branch: string,
  up: string | undefined,
): Refusal | undefined {
  const range = up ? [`${up}..HEAD`] : ["HEAD"];
  const log = git(cwd, ["log", "--format=%h%x1f%s", "--end-of-options", ...range]);
  const commit = log.ok
    ? log.stdout
        .split("\n")
        .map((line) => line.split("\x1f"))
        .find(([, subject]) => RELEASE_SUBJECT.test(subject ?? ""))
    : undefined;
  const localTags = git(cwd, ["tag", "--list", "v[0-9]*"]).stdout.split("\n").filter(Boolean);
  const remoteTags = git(cwd, ["ls-remote", "--tags", "--refs", "--end-of-options", remote, "refs/tags/v*"]);
  const published = new Set(
    remoteTags.stdout
      .split("\n")
      .map((line) => line.split("refs/tags/")[1])
      .filter(Boolean),
  );
  const unpushedTags = remoteTags.ok ? localTags.filter((t) => !published.has(t)) : [];
  if (!commit && !unpushedTags.length) return undefined;
  const [hash, subject = ""] = commit ?? [];
  const tagRefs = unpushedTags.map((t) => `refs/tags/${t}`);
  const what = [
    ...(commit ? [`release commit ${hash} "${subject}"`] : []),
    ...(unpushedTags.length ? [`tag(s) ${unpushedTags.join(", ")}`] : []),
  ].join(" and ");
  const push = commit
    ? `git push --atomic --end-of-options ${remote} HEAD:refs/heads/${branch} ${tagRefs.join(" ")}`.trim()
    : `git push --end-of-options ${remote} ${tagRefs.join(" ")}`;
  const discard = [
    ...unpushedTags.map((t) => `git tag -d ${t}`),
    ...(commit ? [`git reset --hard ${up ?? `${hash}~1`}`] : []),
  ].join(" && ");
  return {
    check: "unpushed-release",
    problem: `an earlier release stopped before its push: ${remote} does not have the ${what}`,
    fix: `finish it: ${push}\n  or discard it: ${discard}`,
  };
}
