// What upgrade reads from the changelog and how it orders versions.
import { describe, expect, test } from "bun:test";
import { changelogBetween, compareVersions } from "../../.dagger/src/init/upgrade.ts";

const CHANGELOG = `# Changelog

## [Unreleased]

- next

## [1.10.0] - 2027-03-01

- ten

## [1.9.0] - 2027-02-01

- nine

## [1.2.0] - 2027-01-01

- two
`;

describe("upgrade's changelog", () => {
  test.each([
    ["1.10.0", "1.9.0", 1],
    ["1.9.0", "1.10.0", -1],
    ["1.2.0", "1.2.0", 0],
    ["1.2.0-rc.1", "1.2.0", -1],
  ])("%s against %s", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  test("shows the released sections after the old version, up to the installed one", () => {
    const shown = changelogBetween(CHANGELOG, "1.2.0", "1.10.0").map((s) => s.split("\n")[0]);
    expect(shown).toEqual(["## [1.10.0] - 2027-03-01", "## [1.9.0] - 2027-02-01"]);
    expect(changelogBetween(CHANGELOG, "1.9.0", "1.9.0")).toEqual([]);
    expect(changelogBetween(CHANGELOG, undefined, "1.2.0").map((s) => s.split("\n")[0])).toEqual([
      "## [1.2.0] - 2027-01-01",
    ]);
  });
});
