// Real public monorepos, trimmed, under examples/adopted/<name>/repo (each with its PROVENANCE.md).
// What a new user does to adopt each is split the way the docs split it: the move to bun
// (docs/package-managers.md), which installs from npm and so runs in .ci/setup, and the adoption
// itself (docs/adopting.md), which the tests do with no network.
import { join } from "node:path";

export const ADOPTED = join(import.meta.dir, "..", "..", "examples", "adopted");
/** Where .ci/setup leaves each fixture migrated and installed (git-ignored). */
export const PREPARED = join(import.meta.dir, "..", "..", ".ci", ".fixtures");

/** A package.json change the migration page calls for. */
export type ManifestEdit = {
  /** Scripts rewritten to call bun instead of another manager. */
  scripts?: Record<string, string>;
  /** Dependencies the code imports without declaring them, which npm's layout happened to hoist. */
  devDependencies?: Record<string, string>;
  packageManager?: string;
};

export type Fixture = {
  name: string;
  shape: string;
  /** docs/package-managers.md, applied before `bun install`: by manifest path. */
  migrate: Record<string, ManifestEdit>;
  /** The repository's own formatter over the files adoption wrote, as docs/adopting.md says. */
  format: string[];
  /** One fault a user could make, and the check and task that must catch it. */
  fault: { file: string; find: string; replace: string; check: string; task: string };
};

export const FIXTURES: Fixture[] = [
  {
    name: "private-landing",
    shape: "bun, Biome, a root Vitest, tsc --build in dependency order",
    migrate: {},
    format: ["biome", "format", "--write", "monorepo-ci.json", "dagger.json", ".ci"],
    fault: {
      file: "packages/schemas/test/schemas.test.ts",
      find: "expect(result.success).toBe(true)",
      replace: "expect(result.success).toBe(false)",
      check: "packages",
      task: "@private-landing/schemas test",
    },
  },
  {
    name: "typescript-monorepo",
    shape: "pnpm and turbo, oxlint and oxfmt, Vitest, tsdown, check-types scripts",
    migrate: { "package.json": { packageManager: "bun@1.4.5" } },
    format: ["oxfmt", "package.json", "monorepo-ci.json", "dagger.json", ".ci", ".buildkite", ".github"],
    fault: {
      file: "packages/common/src/utils/is-present.ts",
      find: "export function isPresent",
      replace: 'export const seeded: number = "not a number";\n\nexport function isPresent',
      check: "packages",
      task: "@repo/common typecheck",
    },
  },
  {
    name: "schema-dts",
    shape: "npm workspaces, ESLint per package, Prettier, Jest with ts-jest",
    migrate: {
      "package.json": {
        scripts: {
          build: "bun run --filter '*' build",
          "lint:eslint": "bun run --filter '*' lint:eslint",
          lint: "bun run lint:eslint && bun run lint:prettier",
          test: "bun run lint && bun run --filter '*' test",
        },
      },
      "packages/schema-dts-gen/package.json": { devDependencies: { "jest-mock": "^29.7.0" } },
    },
    format: ["prettier", "--write", "monorepo-ci.json", "dagger.json", ".ci", ".buildkite", ".github"],
    fault: {
      file: "packages/schema-dts-gen/src/ts/enum.ts",
      find: "\nexport ",
      replace: "\nexport const seeded: Array<string> = [];\nexport ",
      check: "packages",
      task: "schema-dts-gen lint",
    },
  },
];
