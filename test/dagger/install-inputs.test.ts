import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { installInputs, withoutLifecycleScripts } from "../../.dagger/src/workspace/install-inputs.ts";
import { tempDir, writeFiles } from "../support/git.ts";

describe("the dependency layer", () => {
  const files = [
    "package.json",
    "bun.lock",
    "bunfig.toml",
    ".npmrc",
    "patches/a@1.0.0.patch",
    "fixes/b.patch",
    "packages/app/package.json",
    "packages/app/src/index.ts",
    "scripts/setup.ts",
    "README.md",
  ];
  const manifests: Record<string, string> = {
    "package.json": JSON.stringify({ patchedDependencies: { "b@2.0.0": "fixes/b.patch" } }),
    "packages/app/package.json": "{}",
  };

  test("holds manifests, lockfiles, bun and npm config and every patch, and no source", () => {
    const inputs = installInputs(files, (p) => manifests[p] ?? "{}");
    expect(inputs.map((i) => i.path).sort()).toEqual(
      [
        ".npmrc",
        "bun.lock",
        "bunfig.toml",
        "fixes/b.patch",
        "package.json",
        "packages/app/package.json",
        "patches/a@1.0.0.patch",
      ].sort(),
    );
    expect(inputs.filter((i) => i.stripLifecycle).map((i) => i.path)).toEqual([
      "package.json",
      "packages/app/package.json",
    ]);
  });

  test("manifests lose their lifecycle scripts and keep everything else", () => {
    const text = JSON.stringify({
      name: "x",
      scripts: { build: "tsc", postinstall: "bun scripts/setup.ts", prepare: "husky", preinstall: "x" },
      dependencies: { a: "1.0.0" },
      trustedDependencies: ["esbuild"],
    });
    expect(JSON.parse(withoutLifecycleScripts(text, "package.json"))).toEqual({
      name: "x",
      scripts: { build: "tsc" },
      dependencies: { a: "1.0.0" },
      trustedDependencies: ["esbuild"],
    });
  });
});

describe("the source's file set", () => {
  test("follows every .gitignore on the way, negations included, with no git repository", async () => {
    const root = tempDir("file-set");
    try {
      writeFiles(root, {
        ".gitignore": "*.log\n/out/\n!keep.log\n",
        "a.ts": "",
        "debug.log": "",
        "keep.log": "",
        "out/x.js": "",
        "pkg/.gitignore": "secret.txt\n",
        "pkg/secret.txt": "",
        "pkg/out/y.js": "",
        "pkg/node_modules/z/index.js": "",
      });
      expect(await new HostSource(root).listFiles()).toEqual([
        ".gitignore",
        "a.ts",
        "keep.log",
        "pkg/.gitignore",
        "pkg/out/y.js",
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
