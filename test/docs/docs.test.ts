// The README and docs/ point only at what exists: every relative link, every `bun run X` (a
// script of this repo or of the demo), every `just X` recipe and every repository path quoted.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXAMPLE, REPO } from "../support/helpers.ts";

const pages = ["README.md", ...readdirSync(join(REPO, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);
const text = (page: string) => readFileSync(join(REPO, page), "utf8");
/** What is quoted as code: inline `spans` and fenced blocks. */
const code = (page: string) => [
  ...[...text(page).matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] as string),
  ...[
    ...text(page)
      .replace(/```[\s\S]*?```/g, "")
      .matchAll(/`([^`\n]+)`/g),
  ].map((m) => m[1] as string),
];

const scriptsOf = (file: string) =>
  Object.keys((JSON.parse(readFileSync(file, "utf8")) as { scripts?: object }).scripts ?? {});
const demoManifests = [
  join(EXAMPLE, "package.json"),
  ...readdirSync(join(EXAMPLE, "packages")).map((p) => join(EXAMPLE, "packages", p, "package.json")),
];
const SCRIPTS = new Set([...scriptsOf(join(REPO, "package.json")), ...demoManifests.flatMap(scriptsOf)]);
const RECIPES = new Set(
  [...readFileSync(join(REPO, "justfile"), "utf8").matchAll(/^([a-z][\w-]*)(?: [^:]*)?:/gm)].map(
    (m) => m[1] as string,
  ),
);

describe("the docs", () => {
  test("there are pages, and the README stays a first read (at most ~200 lines)", () => {
    expect(pages.length).toBeGreaterThan(10);
    expect(text("README.md").split("\n").length).toBeLessThanOrEqual(200);
  });

  test.each(pages)("%s: every relative link leads to a file that exists", (page) => {
    const links = [...text(page).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
    const local = links.filter((l) => !/^[a-z]+:/.test(l) && !l.startsWith("#"));
    for (const link of local) {
      const target = join(REPO, dirname(page), link.split("#")[0] as string);
      expect(existsSync(target) ? link : `${page}: broken link ${link}`).toBe(link);
    }
  });

  test.each(pages)("%s: every bun run, just and repository path it quotes exists", (page) => {
    for (const snippet of code(page)) {
      // `bun run some/file.ts` runs a file, not a script.
      for (const m of snippet.matchAll(/\bbun run ([a-z][\w:-]*)(?![\w./])/g)) {
        const script = m[1] as string;
        expect(SCRIPTS.has(script) ? script : `${page}: no script ${script}`).toBe(script);
      }
      for (const m of snippet.matchAll(/(?:^|[\s(])just ([a-z][\w-]*)/g)) {
        const recipe = m[1] as string;
        expect(RECIPES.has(recipe) ? recipe : `${page}: no recipe ${recipe}`).toBe(recipe);
      }
      // A placeholder (`<build>`) or glob is matched whole, then passed over: the path before it may
      // exist only after a run, and must not make this test depend on which tests ran first.
      for (const m of snippet.matchAll(/(?:^|\s)((?:\.buildkite|\.dagger|\.ci|test)\/[\w./<>*-]+)/g)) {
        const path = (m[1] as string).replace(/[.,:;]$/, "");
        if (/[*<]/.test(path)) continue;
        expect(existsSync(join(REPO, path)) ? path : `${page}: no such path ${path}`).toBe(path);
      }
    }
  });
});
