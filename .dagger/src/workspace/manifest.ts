import { z } from "zod";
import { parseJsonText, parseWith } from "../errors.ts";

/** The package.json keys the checks read; everything else passes through untouched. */
export const PackageManifest = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    license: z.string().optional(),
    // npm and bun read `private` as truthy, so `"private": "true"` (as some real repos write it)
    // keeps a package from being published: normalized to the boolean they act on.
    private: z.union([z.boolean(), z.string()]).transform(Boolean).optional(),
    scripts: z.record(z.string(), z.string()).optional(),
    packageManager: z.string().optional(),
    // Only the names matter (which workspace packages a package builds on), so values stay loose.
    dependencies: z.record(z.string(), z.unknown()).optional(),
    devDependencies: z.record(z.string(), z.unknown()).optional(),
    peerDependencies: z.record(z.string(), z.unknown()).optional(),
    optionalDependencies: z.record(z.string(), z.unknown()).optional(),
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

/** Every package name a manifest depends on, of any kind (dev, peer and optional included). */
export function dependencyNames(manifest: PackageManifest): string[] {
  return [
    ...new Set(
      [
        manifest.dependencies,
        manifest.devDependencies,
        manifest.peerDependencies,
        manifest.optionalDependencies,
      ]
        .filter((d) => d !== undefined)
        .flatMap((d) => Object.keys(d)),
    ),
  ];
}
