import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseJsonText, parseWith } from "../errors.ts";
import { ImageName } from "./schema.ts";

const ImageRef = z
  .string()
  .regex(/^[^\s:@]+(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/, "not an image reference")
  .refine((ref) => /:[\w.-]+|@sha256:/.test(ref), "images are pinned to a tag or digest")
  .refine((ref) => !/:latest(?:@|$)/.test(ref), "`latest` is not a pin");

export const Versions = z.object({ images: z.record(ImageName, ImageRef) }).strict();
export type Versions = z.infer<typeof Versions>;

/** Renovate bumps this one file; the generator's versions-only fast path reads its diff. */
export const VERSIONS_FILE = ".dagger/versions.json";

export function parseVersions(text: string, file = VERSIONS_FILE): Versions {
  return parseWith(Versions, parseJsonText(text, file), file);
}

export const versions: Versions = parseVersions(
  readFileSync(new URL("../../versions.json", import.meta.url), "utf8"),
);
