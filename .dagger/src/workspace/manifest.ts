import { z } from "zod";
import { parseJsonText, parseWith } from "../errors.ts";

/** The package.json keys the checks read; everything else passes through untouched. */
export const PackageManifest = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    license: z.string().optional(),
    private: z.boolean().optional(),
    scripts: z.record(z.string(), z.string()).optional(),
    workspaces: z
      .union([z.array(z.string()), z.object({ packages: z.array(z.string()) }).loose()])
      .optional(),
  })
  .loose();
export type PackageManifest = z.infer<typeof PackageManifest>;

export function parseManifest(text: string, file: string): PackageManifest {
  return parseWith(PackageManifest, parseJsonText(text, file), file);
}

export function workspaceGlobs(manifest: PackageManifest): string[] {
  const ws = manifest.workspaces;
  if (!ws) return [];
  return Array.isArray(ws) ? ws : ws.packages;
}
