// A check with nothing to check fails, saying so, unless monorepo-ci.json says that is expected.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { check, editJson, exampleCopies } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const copy = exampleCopies();
function example(workspaces: string[]): string {
  const root = copy();
  editJson(root, "package.json", (json) => {
    json.workspaces = workspaces;
  });
  return root;
}

describe("nothing to check is not a pass", () => {
  test.each([
    ["a workspace glob with a typo", ["pakages/*"]],
    ["only the mobile and birmel packages", ["packages/mobile", "packages/birmel"]],
    ["no workspaces at all", []],
  ])("packages fails with %s", (_name, workspaces) => {
    const run = check(["packages", "--source", example(workspaces)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'packages found nothing to check; if that is expected, add "packages" to allowEmpty',
    );
  });

  test.each([["pakages/*"], ["./libs/*"]])("compliance names the glob %s that matches no package", (glob) => {
    const run = check(["compliance", "--source", example(["packages/*", glob])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`package.json: workspace glob "${glob}" matches no package`);
  });

  test('compliance fails on "workspaces": [] (nothing to check), unless allowEmpty lists it', () => {
    const root = example([]);
    const run = check(["compliance", "--source", root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('package.json: "workspaces" names no package, so there is nothing to check');
    editJson(root, "monorepo-ci.json", (json) => {
      json.allowEmpty = ["compliance"];
    });
    expect(check(["compliance", "--source", root]).code).toBe(0);
  });

  test("allowEmpty makes it expected: reported as skipped, never as passed work", () => {
    const root = example(["packages/mobile", "packages/birmel"]);
    editJson(root, "monorepo-ci.json", (json) => {
      json.allowEmpty = ["packages"];
    });
    const run = check(["packages", "--source", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /nothing to check\s+- skipped\s+[\d.]+s\s+no task to run; monorepo-ci.json allowEmpty lists packages/,
    );
  });
});
