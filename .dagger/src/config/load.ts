import { InputError, parseJsonText, parseWith } from "../errors.ts";
import type { SourceView } from "../source/view.ts";
import { CONFIG_FILE, MonorepoConfig } from "./schema.ts";

export async function loadConfig(view: SourceView): Promise<MonorepoConfig> {
  const text = await view.readText(CONFIG_FILE);
  if (text === undefined) {
    throw new InputError(`${view.name}: no ${CONFIG_FILE}; every checked monorepo needs one (see README)`);
  }
  return parseWith(MonorepoConfig, parseJsonText(text, CONFIG_FILE), CONFIG_FILE);
}
