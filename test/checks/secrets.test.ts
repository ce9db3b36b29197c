// The secret scan sees every file and every tool's output is masked. Secrets are made at run
// time, so this file itself holds none for the repository's own scan to find.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scanSecrets } from "../../.dagger/src/checks/quality/secrets.ts";
import { loadContext } from "../../.dagger/src/checks/context.ts";
import { HostSource } from "../../.dagger/src/source/host.ts";
import { check, editJson, write, exampleCopies } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

const TOKEN = ["ghp", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"].join("_");
const example = exampleCopies();
async function findings(root: string) {
  const { findings, notes } = await scanSecrets(await loadContext(new HostSource(root)));
  return { where: findings.map((f) => f.where), messages: findings.map((f) => f.message), notes };
}

describe("the secret scan reads every file", () => {
  const filler = (lines: number) =>
    Array.from({ length: lines }, (_, i) => `const line${i} = ${i};`).join("\n");
  test.each([
    ["a small file", "src/config.ts", () => `export const token = "${TOKEN}";\n`, 1],
    [
      "a file over 1 MB, secret near the end",
      "src/big.ts",
      () => `${filler(60_000)}\ntoken=${TOKEN}\n`,
      60_001,
    ],
    ["a file with a NUL byte", "assets/blob.bin", () => `\0\0\0binary\0\ntoken=${TOKEN}\n`, 2],
    ["a file named package-lock.json", "package-lock.json", () => `{\n"token": "${TOKEN}"\n}\n`, 2],
    ["a file named yarn.lock", "yarn.lock", () => `# yarn\ntoken ${TOKEN}\n`, 2],
    ["a file named bun.lock", "packages/money/bun.lock", () => `{\n"t": "${TOKEN}"\n}\n`, 2],
  ])("%s", async (_name, file, content, line) => {
    const root = example();
    write(root, file, content());
    const found = await findings(root);
    expect(found.where).toEqual([`${file}:${line}`]);
    expect(found.messages.join("\n")).not.toContain(TOKEN);
  });

  test("a short private key (ed25519, PKCS#8, three lines) is found", async () => {
    const root = example();
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    write(root, "deploy/key.txt", `key:\n${pem}`);
    const found = await findings(root);
    expect(found.where).toEqual(["deploy/key.txt:2"]);
    expect(found.messages[0]).toContain("[monorepo-ci/private-key]");
  });

  test.each([
    ["UTF-16LE", "utf16le", [0xff, 0xfe], false],
    ["UTF-16BE", "utf16le", [0xfe, 0xff], true],
  ] as const)(
    "a private key in a %s file with a byte-order mark is found",
    async (_name, encoding, bom, swap) => {
      const root = example();
      const pem = generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString();
      const body = Buffer.from(`notes\r\n${pem}`, encoding);
      if (swap) body.swap16();
      write(root, "docs/exported.txt", "");
      writeFileSync(join(root, "docs/exported.txt"), Buffer.concat([Buffer.from(bom), body]));
      const found = await findings(root);
      expect(found.where).toEqual(["docs/exported.txt:2"]);
    },
  );

  test("an exempt file is not scanned, and the report says so and why", async () => {
    const root = example();
    write(root, "fixtures/leak.txt", `token=${TOKEN}\n`);
    editJson(root, "monorepo-ci.json", (json) => {
      json.secrets = { exempt: [{ path: "fixtures/**", reason: "test fixtures with revoked tokens" }] };
    });
    const found = await findings(root);
    expect(found.where).toEqual([]);
    expect(found.notes).toEqual(["fixtures/leak.txt not scanned: test fixtures with revoked tokens"]);
  });
});

describe("key and .env files are found whatever their case", () => {
  test.each([[".ENV"], ["config/.Env.Production"], ["certs/server.PEM"], ["ID_RSA"], ["keys/Deploy.KEY"]])(
    "%s fails compliance",
    (file) => {
      const root = example();
      write(root, file, "x\n");
      const run = check(["compliance", "--source", root]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${file}: secrets or keys must not be committed`);
    },
  );
});

describe("no tool's output carries a secret", () => {
  test("a file Prettier cannot parse: its code frame is masked in the report and --json", () => {
    const root = example();
    write(root, "packages/money/src/broken.ts", `export const token = "${TOKEN}" +;\n`);
    const json = `${root}/r.json`;
    const run = check(["quality", "--source", root, "--json", json]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("broken.ts");
    expect(run.stdout).not.toContain(TOKEN);
    expect(Bun.file(json).size).toBeGreaterThan(0);
    expect(readFileSync(json, "utf8")).not.toContain(TOKEN);
  });
});
