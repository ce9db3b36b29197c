import { z } from "zod";
import pinned from "../../versions.json" with { type: "json" };
import { parseJsonText, parseWith } from "../errors.ts";
import { ImageName } from "./schema.ts";

const ImageRef = z
  .string()
  .regex(/^[^\s:@]+(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/, "not an image reference")
  .refine((ref) => /:[\w.-]+|@sha256:/.test(ref), "images are pinned to a tag or digest")
  .refine((ref) => !/:latest(?:@|$)/.test(ref), "`latest` is not a pin");

const digested = (ref: string) => ref.includes("@sha256:");

/**
 * Every image is pinned by digest where a digest can be found in public sources; the others
 * are pinned to their exact tag, and `tagOnly` says why, image by image.
 */
export const Versions = z
  .object({
    images: z.record(ImageName, ImageRef),
    tagOnly: z.partialRecord(ImageName, z.string().min(1, "say why this image has no digest")).default({}),
    /** Binaries the Buildkite wrappers install (setup-dagger.sh reads this with jq). */
    tools: z.object({ kubectl: z.string().regex(/^v\d+\.\d+\.\d+$/, "a release tag like v1.31.4") }).strict(),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const [name, ref] of Object.entries(v.images)) {
      const why = v.tagOnly[name as ImageName];
      if (!digested(ref) && !why) {
        ctx.addIssue({
          code: "custom",
          path: ["images", name],
          message: "pin a digest, or say in tagOnly why there is none",
        });
      }
      if (digested(ref) && why) {
        ctx.addIssue({
          code: "custom",
          path: ["tagOnly", name],
          message: "the image is pinned by digest; drop its tagOnly reason",
        });
      }
    }
  });
export type Versions = z.infer<typeof Versions>;

/** Renovate bumps this one file; the generator's versions-only fast path reads its diff. */
export const VERSIONS_FILE = ".dagger/versions.json";

export function parseVersions(text: string, file = VERSIONS_FILE): Versions {
  return parseWith(Versions, parseJsonText(text, file), file);
}

/** Imported as a module, so a bundle carries it and nothing reads beside the code at run time. */
export const versions: Versions = parseWith(Versions, pinned, VERSIONS_FILE);
