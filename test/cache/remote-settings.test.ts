// Where the remote comes from: monorepo-ci.json's cache.remote, else Turborepo's own variables,
// checked as the config is, so bad input names the key or variable it came from.
import { describe, expect, test } from "bun:test";
import { remoteFor } from "../../.dagger/src/cache/remote.ts";
import { RemoteCacheSettings } from "../../.dagger/src/config/schema.ts";
import { InputError } from "../../.dagger/src/errors.ts";
import { runCli } from "../support/helpers.ts";
import { tempDir, writeFiles } from "../support/git.ts";

const settings = (s: Record<string, unknown> = {}) => RemoteCacheSettings.parse(s);
const URL_ = "https://cache.example.com";

describe("the remote's settings", () => {
  test("a team is a slug, or an ID when it starts with team_, as Turborepo and Vercel tell them", () => {
    expect(remoteFor(settings({ url: URL_, team: "acme" }), {})).toMatchObject({ slug: "acme" });
    const byId = remoteFor(settings({ url: URL_, team: "team_8Hd2" }), {});
    expect(byId).toMatchObject({ teamId: "team_8Hd2" });
    expect(byId?.slug).toBeUndefined();
    const fromEnv = remoteFor(settings(), { TURBO_API: URL_, TURBO_TEAM: "acme", TURBO_TEAMID: "team_8Hd2" });
    expect(fromEnv).toMatchObject({ url: URL_, slug: "acme", teamId: "team_8Hd2" });
    // The config wins over the environment, and no URL anywhere is no remote.
    expect(remoteFor(settings({ url: URL_, team: "ours" }), { TURBO_TEAM: "theirs" })?.slug).toBe("ours");
    expect(remoteFor(settings(), { TURBO_TEAM: "acme" })).toBeUndefined();
  });

  test.each([
    [{ TURBO_API: "ftp://cache.example.com", TURBO_TEAM: "acme" }, "TURBO_API: an http(s) URL"],
    // Joined here so this file holds no credential a secret scanner would flag.
    [
      { TURBO_API: ["https://ci", "hunter2@cache.example.com"].join(":"), TURBO_TEAM: "acme" },
      "no credentials",
    ],
    [{ TURBO_API: URL_, TURBO_TEAM: "-rf" }, "TURBO_TEAM: a team slug"],
    [{ TURBO_API: URL_, TURBO_TEAMID: "team id" }, "TURBO_TEAMID: a team slug"],
    [{ TURBO_API: URL_ }, "cache.remote.team (or TURBO_TEAM, TURBO_TEAMID)"],
  ])("bad input names where it came from: %p", (env, message) => {
    expect(() => remoteFor(settings(), env)).toThrow(InputError);
    expect(() => remoteFor(settings(), env)).toThrow(message);
    // What was refused is named, never repeated: a URL may hold a password.
    expect(() => remoteFor(settings(), env)).not.toThrow("hunter2");
  });

  test("through the CLI, a bad TURBO_API is exit 2 with that message, and no stack trace", () => {
    const root = tempDir("remote-settings");
    writeFiles(root, {
      "package.json": JSON.stringify({ name: "r", private: true, workspaces: ["packages/*"] }),
      "bun.lock": '{ "lockfileVersion": 1 }\n',
      "monorepo-ci.json": "{}\n",
      "packages/a/package.json": JSON.stringify({ name: "a", private: true, scripts: { build: "true" } }),
    });
    const r = runCli(".dagger/cli/check.ts", ["packages", "--source", root], {
      TURBO_API: "not a url",
      TURBO_TEAM: "acme",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TURBO_API: an http(s) URL");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
