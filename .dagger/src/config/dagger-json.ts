import { z } from "zod";
import { InputError, parseJsonText, parseWith } from "../errors.ts";
import type { SourceView } from "../source/view.ts";

const DaggerJson = z
  .object({ engineVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, "a release such as v0.21.9") })
  .loose();

/** dagger.json's `engineVersion`: the dagger CLI the CI image and the workflows install. */
export async function engineVersionOf(view: SourceView, who: string): Promise<string> {
  const text = await view.readText("dagger.json");
  if (text === undefined) throw new InputError(`${who}: the source has no dagger.json`);
  return parseWith(DaggerJson, parseJsonText(text, "dagger.json"), "dagger.json").engineVersion;
}
