import { z } from "zod";
import { InputError, parseJsonText, parseWith } from "../errors.ts";
import type { SourceView } from "../source/view.ts";

const DaggerJson = z
  .object({ engineVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, "a release such as v0.21.9") })
  .loose();

const Toolchains = z
  .object({ toolchains: z.array(z.object({ name: z.string(), source: z.string() }).loose()).optional() })
  .loose();

/** A toolchain name as `dagger call` takes it: a word, never anything a shell or CLI reads more into. */
const TOOLCHAIN_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The name under which dagger.json installs this module as a toolchain (`dagger toolchain
 * install <moduleRef>@<version>`), or undefined when the repository is the module itself (this
 * repository, or a copied `.dagger/`). Its functions are then `dagger call <name> <function>`.
 */
export function monorepoToolchain(text: string | undefined, moduleRef: string): string | undefined {
  if (text === undefined) return undefined;
  const { toolchains = [] } = parseWith(Toolchains, parseJsonText(text, "dagger.json"), "dagger.json");
  const at = toolchains.findIndex((t) => t.source === moduleRef || t.source.startsWith(`${moduleRef}@`));
  const found = toolchains[at];
  if (!found) return undefined;
  if (!TOOLCHAIN_NAME.test(found.name)) {
    throw new InputError(
      `dagger.json: toolchains[${at}].name ${JSON.stringify(found.name)}: a toolchain name is lowercase letters, digits and dashes`,
    );
  }
  return found.name;
}

/** dagger.json's `engineVersion`: the dagger CLI the CI image and the workflows install. */
export async function engineVersionOf(view: SourceView, who: string): Promise<string> {
  const text = await view.readText("dagger.json");
  if (text === undefined) throw new InputError(`${who}: the source has no dagger.json`);
  return parseWith(DaggerJson, parseJsonText(text, "dagger.json"), "dagger.json").engineVersion;
}
