import { describe, expect, test } from "bun:test";
import { InputError } from "../../.dagger/src/errors.ts";
import { readVersion, writeVersion } from "../../.buildkite/lib/release/version-files.ts";

describe("writeVersion rewrites only the top-level version", () => {
  test.each([
    [
      "a nested version in config, above the top-level one",
      '{\n  "name": "x",\n  "config": {\n    "version": "9.9.9"\n  },\n  "version": "1.0.0"\n}\n',
    ],
    [
      "a nested version in publishConfig, on the same line shape",
      '{\n  "publishConfig": { "version": "0.0.1", "access": "public" },\n  "version": "1.0.0"\n}\n',
    ],
    ["compact JSON on one line", '{"name":"x","config":{"version":"9.9.9"},"version":"1.0.0"}'],
    [
      "a string that looks like a version key",
      '{\n  "description": "\\"version\\": \\"9.9.9\\"",\n  "version": "1.0.0"\n}\n',
    ],
    [
      "an array of objects with versions",
      '{\n  "engines": [{ "version": "9.9.9" }],\n  "version": "1.0.0"\n}\n',
    ],
    ["CRLF line endings and tabs", '{\r\n\t"version":\t"1.0.0",\r\n\t"x": {"version": "2.0.0"}\r\n}\r\n'],
  ])("%s", (_name, text) => {
    const after = writeVersion(text, "package.json", "1.1.0");
    expect(readVersion(after, "package.json")).toBe("1.1.0");
    // Only the version's characters changed: the rest is byte for byte the same.
    expect(after.replace('"1.1.0"', '"1.0.0"')).toBe(text);
  });

  test("a file without a top-level version is refused with its name, never guessed", () => {
    expect(() => writeVersion('{\n  "config": { "version": "1.0.0" }\n}\n', "app.json", "1.1.0")).toThrow(
      new InputError('app.json: has no top-level "version" string'),
    );
    expect(() => writeVersion('{"version": 1}', "v.json", "2.0.0")).toThrow(InputError);
  });
});
