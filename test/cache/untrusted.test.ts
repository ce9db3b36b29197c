// Which builds the remote cache treats as untrusted (read-only, no token): a fork's pull request,
// by Buildkite's variables or GitHub's event payload (a pull request's events, or a workflow run
// one started), failing closed when the repository is not named or the payload is unreadable.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { untrustedBuild } from "../../.dagger/src/cache/remote.ts";
import { tempDir } from "../support/git.ts";

const dir = tempDir("untrusted");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let payloads = 0;
const write = (body: unknown) => {
  const file = join(dir, `event-${++payloads}.json`);
  writeFileSync(file, JSON.stringify(body));
  return file;
};
const payload = (head: string) => write({ pull_request: { head: { repo: { full_name: head } } } });
const runPayload = (head: string) => write({ workflow_run: { head_repository: { full_name: head } } });

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
    [
      "a Buildkite PR whose repositories are one, in other URL forms",
      {
        BUILDKITE_PULL_REQUEST: "3",
        BUILDKITE_PULL_REQUEST_REPO: "https://github.com/Acme/repo",
        BUILDKITE_REPO: "git@github.com:acme/repo.git",
      },
      false,
    ],
    [
      "a Buildkite PR that does not name its repository",
      { BUILDKITE_PULL_REQUEST: "3", BUILDKITE_REPO: "git@github.com:acme/repo.git" },
      true,
    ],
    [
      "a GitHub workflow_run a fork's pull request started",
      {
        GITHUB_EVENT_NAME: "workflow_run",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: runPayload("eve/repo"),
      },
      true,
    ],
    [
      "a GitHub workflow_run of the repository's own",
      {
        GITHUB_EVENT_NAME: "workflow_run",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: runPayload("acme/repo"),
      },
      false,
    ],
    [
      "a GitHub PR whose payload names no head repository (deleted fork)",
      {
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_REPOSITORY: "acme/repo",
        GITHUB_EVENT_PATH: write({ pull_request: { head: { repo: null } } }),
      },
      true,
    ],
    ["a GitHub event named like an object's own property", { GITHUB_EVENT_NAME: "constructor" }, false],
    ["MONOREPO_CI_UNTRUSTED=1", { MONOREPO_CI_UNTRUSTED: "1" }, true],
  ])("%s", (_name, env, untrusted) => {
    expect(untrustedBuild(env as NodeJS.ProcessEnv) !== undefined).toBe(untrusted);
  });
});
