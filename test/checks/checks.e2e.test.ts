// The five checks end to end on the host executor: real processes over a real copy of the
// example monorepo. Each seeded problem must fail exactly its own check, named in the output.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { check, copyExample, edit, editJson, EXAMPLE, write } from "../support/helpers.ts";

// These tests start real processes; a busy machine must not fail them by the clock.
setDefaultTimeout(120_000);

type CiJson = { status: string; checks: { key: string; status: string }[]; build: { status: string } };

const SLOW = 180_000;

/** `also`: the other checks the same fault rightly fails (a stub test ran nothing in packages either). */
type Seed = { name: string; check: string; expect: RegExp; apply: (root: string) => void; also?: string[] };

const seeds: Seed[] = [
  {
    name: "a no-op test script",
    check: "compliance",
    also: ["packages"],
    expect: /@example\/money \(packages\/money\/package\.json\): "test" is a no-op stub/,
    apply: (root) =>
      editJson(root, "packages/money/package.json", (j) => {
        (j.scripts as Record<string, string>).test = "echo ok";
      }),
  },
  {
    name: "a committed .pem file",
    check: "compliance",
    expect: /certs\/server\.pem: secrets or keys must not be committed/,
    apply: (root) =>
      write(root, "certs/server.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
  },
  {
    name: "a public package without a license",
    check: "compliance",
    expect: /packages\/strings\/package\.json: has no "license" and is not private/,
    apply: (root) => editJson(root, "packages/strings/package.json", (j) => delete j.license),
  },
  {
    name: "two new @ts-ignore",
    check: "quality",
    expect: /@example\/strings: @ts-ignore: 2 new \(now 2, baseline 0 in \.ci\/suppressions-baseline\.json\)/,
    apply: (root) =>
      write(
        root,
        "packages/strings/scripts/seed.ts",
        "// @ts-ignore\nexport const a = 1;\n// @ts-ignore\nexport const b = 2;\n",
      ),
  },
  {
    name: "a shell script with a shellcheck warning",
    check: "quality",
    expect: /scripts\/deploy\.sh.*SC2164/s,
    apply: (root) => write(root, "scripts/deploy.sh", '#!/usr/bin/env bash\ncd "$1"\necho deployed\n'),
  },
  {
    name: "a failing mobile test",
    check: "mobile",
    expect: /@example\/mobile test.*exit 1/s,
    apply: (root) => edit(root, "packages/mobile/src/cart.test.ts", (t) => t.replace('"€2.40"', '"€2.41"')),
  },
  {
    name: "a type error in the mobile app",
    check: "mobile",
    expect: /@example\/mobile typecheck.*src\/cart\.ts.*TS2322/s,
    apply: (root) =>
      edit(
        root,
        "packages/mobile/src/cart.ts",
        (t) => `${t}\nexport const broken: number = "not a number";\n`,
      ),
  },
  {
    name: "birmel throwing at start",
    check: "birmel",
    expect: /the service exited \(1\) before GET \/health answered 2xx[\s\S]*boom: no database/,
    apply: (root) =>
      edit(root, "packages/birmel/src/index.ts", (t) =>
        t.replace(
          'import { handle } from "./app";',
          'import { handle } from "./app";\n\nif (process.env.PORT) throw new Error("boom: no database");',
        ),
      ),
  },
  {
    name: "a failing birmel test",
    check: "birmel",
    expect: /@example\/birmel test.*exit 1/s,
    apply: (root) =>
      edit(root, "packages/birmel/src/app.test.ts", (t) => t.replace("toBe(404)", "toBe(200)")),
  },
  {
    name: "a type error in a library",
    check: "packages",
    expect: /@example\/strings typecheck.*src\/extra\.ts.*TS2322/s,
    apply: (root) =>
      write(root, "packages/strings/src/extra.ts", 'export const broken: number = "not a number";\n'),
  },
  {
    name: "a failing library test",
    check: "packages",
    expect: /@example\/money test.*exit 1/s,
    apply: (root) =>
      edit(root, "packages/money/src/index.test.ts", (t) => t.replace('"-$12.05"', '"-$12.06"')),
  },
];

function ciStatuses(root: string): Record<string, string> {
  const out = join(root, "ci.json");
  const run = check(["ci", "--source", root, "--json", out]);
  const report = JSON.parse(readFileSync(out, "utf8")) as CiJson;
  expect(run.code).toBe(report.status === "passed" ? 0 : 1);
  return Object.fromEntries([...report.checks.map((c) => [c.key, c.status]), ["build", report.build.status]]);
}

describe("the clean example", () => {
  test(
    "passes ci: all five checks and the workspace build",
    () => {
      const root = copyExample();
      try {
        expect(ciStatuses(root)).toEqual({
          compliance: "passed",
          quality: "passed",
          mobile: "passed",
          birmel: "passed",
          packages: "passed",
          build: "passed",
        });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  for (const key of ["compliance", "quality", "mobile", "birmel", "packages"]) {
    test(
      `bun run check ${key} exits 0 on examples/monorepo`,
      () => {
        const run = check([key, "--source", EXAMPLE]);
        expect(run.stdout).toContain("PASSED");
        expect(run.code).toBe(0);
      },
      SLOW,
    );
  }
});

describe("a seeded problem fails exactly its check", () => {
  for (const seed of seeds) {
    test(
      `${seed.name} → ${seed.check}`,
      () => {
        const root = copyExample();
        try {
          seed.apply(root);
          const run = check([seed.check, "--source", root]);
          expect(run.stdout).toMatch(seed.expect);
          expect(run.code).toBe(1);
          const statuses = ciStatuses(root);
          const failed = Object.keys(statuses).filter((k) => statuses[k] === "failed");
          expect(failed.sort()).toEqual([seed.check, ...(seed.also ?? [])].sort());
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
      SLOW,
    );
  }
});
