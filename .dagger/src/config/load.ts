import { InputError, parseJsonText, parseWith } from "../errors.ts";
import type { SourceView } from "../source/view.ts";
import { z } from "zod";
import { CONFIG_FILE, MonorepoConfig, ReleaseSettings } from "./schema.ts";

export async function loadConfig(view: SourceView): Promise<MonorepoConfig> {
  const text = await view.readText(CONFIG_FILE);
  if (text === undefined) {
    throw new InputError(`${view.name}: no ${CONFIG_FILE}; every checked monorepo needs one (see README)`);
  }
  return parseWith(MonorepoConfig, parseJsonText(text, CONFIG_FILE), CONFIG_FILE);
}

/**
 * Only the `release` key of monorepo-ci.json, with defaults when the file or the key is absent:
 * the release command works in any repository, configured or not.
 */
export async function loadReleaseSettings(view: SourceView): Promise<ReleaseSettings> {
  const text = await view.readText(CONFIG_FILE);
  const json = text === undefined ? {} : parseJsonText(text, CONFIG_FILE);
  return parseWith(z.object({ release: ReleaseSettings.prefault({}) }).loose(), json, CONFIG_FILE).release;
}
