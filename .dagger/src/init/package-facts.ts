import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJsonText } from "../errors.ts";

/**
 * Where the Dagger module is published, as a module reference: package.json's `repository`
 * (a test keeps the two equal). A constant, since the engine runs code that reads it and has no
 * package.json of ours to read.
 */
export const MODULE_REF = "github.com/monorepo-ci/monorepo-ci";

/** The package's own root: this file is .dagger/src/init/ inside it. */
export const PACKAGE_ROOT = join(import.meta.dir, "..", "..", "..");

/**
 * The installed package's version, where its Dagger module is published (package.json's
 * repository, as a module reference), and the engine release its dagger.json pins.
 */
export function packageFacts(): { version: string; moduleRef: string; engineVersion: string } {
  const read = (file: string) => parseJsonText(readFileSync(join(PACKAGE_ROOT, file), "utf8"), file);
  const manifest = read("package.json") as { version: string; repository?: { url?: string } };
  const moduleRef = (manifest.repository?.url ?? "")
    .replace(/^(?:git\+)?https:\/\//, "")
    .replace(/\.git$/, "");
  const { engineVersion } = read("dagger.json") as { engineVersion: string };
  return { version: manifest.version, moduleRef, engineVersion };
}
