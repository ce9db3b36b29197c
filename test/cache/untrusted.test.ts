// Which builds the remote cache treats as untrusted (read-only, no token): a fork's pull request,
// by Buildkite's variables or GitHub's event payload, failing closed when the payload is unreadable.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { untrustedBuild } from "../../.dagger/src/cache/remote.ts";
import { tempDir } from "../support/git.ts";

const dir = tempDir("untrusted");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const payload = (head: string) => {
  const file = join(dir, `${head.replace("/", "_")}.json`);
  writeFileSync(file, JSON.stringify({ pull_request: { head: { repo: { full_name: head } } } }));
  return file;
};

describe("an untrusted build", () => {
  test.each([
    ["a push", {}, false],
    [
      "a Buildkite PR from the same repository",
      {
        BUILDKITE_PULL_REQUEST: "3",
        BUILDKITE_PULL_REQUEST_REPO: "git@github.com:acme/repo.git",
        BUILDKITE_REPO: "git@github.com:acme/repo.git",
      },
      false,
    ],
    [
      "a Buildkite PR from a fork",
      {
        BUILDKITE_PULL_REQUEST: "3",
        BUILDKITE_PULL_REQUEST_REPO: "git@github.com:eve/repo.git",
        BUILDKITE_REPO: "git@github.com:acme/repo.git",
      },
      true,
    ],
    [
      "a GitHub PR from the same repository",
      {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: payload("acme/repo"),
      },
      false,
    ],
    [
      "a GitHub PR from a fork",
      {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: payload("eve/repo"),
      },
      true,
    ],
    [
      "a GitHub PR whose payload cannot be read",
      {
        GITHUB_EVENT_NAME: "pull_request_target",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: join(dir, "missing.json"),
      },
      true,
    ],
    ["MONOREPO_CI_UNTRUSTED=1", { MONOREPO_CI_UNTRUSTED: "1" }, true],
  ])("%s", (_name, env, untrusted) => {
    expect(untrustedBuild(env as NodeJS.ProcessEnv) !== undefined).toBe(untrusted);
  });
});
