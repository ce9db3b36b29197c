// `bun run binaries` as a user runs it, on a copy of the demo: five real executables, each checked
// from its header, their checksums verified, and the one for this machine run.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { copyExample, editJson, EXAMPLE, runCli, type Run } from "../support/helpers.ts";
import { tempDir } from "../support/git.ts";

// Each build writes ~100 MB; a busy machine must not fail this by the clock.
setDefaultTimeout(300_000);

const FILES = [
  "birmel-0.1.0-darwin-arm64",
  "birmel-0.1.0-darwin-x64",
  "birmel-0.1.0-linux-arm64",
  "birmel-0.1.0-linux-x64",
  "birmel-0.1.0-windows-x64.exe",
];

/** The executable format and architecture, read from the file's header. */
function format(path: string): string {
  const b = readFileSync(path).subarray(0, 4096);
  if (b.readUInt32BE(0) === 0x7f454c46) {
    const machine = b.readUInt16LE(18);
    return `ELF ${machine === 0x3e ? "x86-64" : machine === 0xb7 ? "aarch64" : machine}`;
  }
  if (b.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = b.readUInt32LE(4);
    return `Mach-O ${cpu === 0x01000007 ? "x86-64" : cpu === 0x0100000c ? "arm64" : cpu}`;
  }
  if (b.toString("latin1", 0, 2) === "MZ") {
    const pe = b.readUInt32LE(0x3c);
    if (b.toString("latin1", pe, pe + 4) !== "PE\0\0") return "MZ without PE";
    const machine = b.readUInt16LE(pe + 4);
    return `PE ${machine === 0x8664 ? "x86-64" : machine === 0xaa64 ? "arm64" : machine}`;
  }
  return "unknown";
}

let root: string;
let out: string;
let built: Run;
const dirs: string[] = [];

beforeAll(() => {
  root = copyExample();
  out = join(tempDir("binaries"), "bin");
  dirs.push(root, dirname(out));
  built = runCli(".dagger/cli/binaries.ts", ["--source", root, "--out", out]);
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("bun run binaries", () => {
  test("builds every default target, named <name>-<version>-<os>-<arch>, with SHA256SUMS", () => {
    expect(built.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...FILES, "SHA256SUMS"].sort());
  });

  test("each file is the executable format and architecture its name says", () => {
    expect(FILES.map((f) => [f, format(join(out, f))])).toEqual([
      ["birmel-0.1.0-darwin-arm64", "Mach-O arm64"],
      ["birmel-0.1.0-darwin-x64", "Mach-O x86-64"],
      ["birmel-0.1.0-linux-arm64", "ELF aarch64"],
      ["birmel-0.1.0-linux-x64", "ELF x86-64"],
      ["birmel-0.1.0-windows-x64.exe", "PE x86-64"],
    ]);
  });

  test("SHA256SUMS holds each file's digest, as sha256sum -c reads it", () => {
    const lines = readFileSync(join(out, "SHA256SUMS"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(FILES.length);
    for (const line of lines) {
      const [digest, file] = line.split("  ") as [string, string];
      expect(
        createHash("sha256")
          .update(readFileSync(join(out, file)))
          .digest("hex"),
      ).toBe(digest);
    }
    const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: out });
    expect(check.exitCode).toBe(0);
  });

  test("the linux-x64 binary runs here: the service answers its health check", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(join(out, "birmel-0.1.0-linux-x64"), [], {
      env: { ...process.env, PORT: String(port) },
      stdio: "ignore",
    });
    try {
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        status = await fetch(`http://127.0.0.1:${port}/health`)
          .then((r) => r.status)
          .catch(() => 0);
        if (status !== 200) await Bun.sleep(100);
      }
      expect(status).toBe(200);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test.each([
    ["an unknown package", { package: "@example/nope", entry: "src/index.ts" }, "binaries[0].package"],
    ["a missing entry", { package: "@example/birmel", entry: "src/nope.ts" }, "binaries[0].entry"],
    [
      "an entry that reads as an option",
      { package: "@example/birmel", entry: "--define=x" },
      "binaries.0.entry",
    ],
    [
      "an unknown target",
      { package: "@example/birmel", entry: "src/index.ts", targets: ["plan9-x64"] },
      "binaries.0.targets",
    ],
  ])("%s is bad input: exit 2, the key named, nothing written", (_name, binary, key) => {
    const copy = copyExample();
    dirs.push(copy);
    editJson(copy, "monorepo-ci.json", (cfg) => {
      cfg.binaries = [binary];
    });
    const target = join(tempDir("binaries-bad"), "bin");
    dirs.push(dirname(target));
    const r = runCli(".dagger/cli/binaries.ts", ["--source", copy, "--out", target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(key);
    expect(r.stdout).toBe("");
    expect(existsSync(target)).toBe(false);
  });

  test.each([
    ["a version that climbs out of --out", "1.0.0/../../../escaped"],
    ["a version with a newline, which would break SHA256SUMS", "1.0.0\nabc  evil"],
    ["a version with a control character", "1.0.0\u001b[31m"],
    ["a version with a space", "1.0.0 beta"],
    ["a version that reads as an option", "-rf"],
  ])("%s is bad input: exit 2, package.json named, nothing written", (_name, version) => {
    const copy = copyExample();
    dirs.push(copy);
    editJson(copy, "packages/birmel/package.json", (pkg) => {
      pkg.version = version;
    });
    const parent = tempDir("binaries-version");
    dirs.push(parent);
    const target = join(parent, "deep", "bin");
    const r = runCli(".dagger/cli/binaries.ts", ["--source", copy, "--out", target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('packages/birmel/package.json: "version"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(parent)).toEqual([]);
  });

  test("--out naming an existing file is bad input, with no stack trace", () => {
    const file = join(tempDir("binaries-out-file"), "a-file");
    dirs.push(dirname(file));
    writeFileSync(file, "not a directory\n");
    for (const out of [file, join(file, "below")]) {
      const r = runCli(".dagger/cli/binaries.ts", ["--source", EXAMPLE, "--out", out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--out ${out}: cannot write there`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(file, "utf8")).toBe("not a directory\n");
  });
});
