import { posix } from "node:path";
import { parseJsonText } from "../errors.ts";

/** The files `bun install` reads besides the manifests: lockfiles, its config, the registry's. */
const INSTALL_FILES = new Set(["bun.lock", "bun.lockb", "bunfig.toml", ".npmrc"]);

/**
 * The lifecycle scripts `bun install` runs for the project's own packages. They may read any
 * file of the source, which the dependency layer does not hold, so there they are removed and
 * they run in the second install, once the whole source is mounted.
 */
export const LIFECYCLE_SCRIPTS = [
  "preinstall",
  "install",
  "postinstall",
  "preprepare",
  "prepare",
  "postprepare",
];

/** One file of the dependency layer: copied as is, or (a manifest) without lifecycle scripts. */
export type InstallInput = { path: string; stripLifecycle: boolean };

/**
 * What the dependency layer holds, from the source's file list: every package.json, the files
 * in INSTALL_FILES, and every patch file (`patches/` directories and what `patchedDependencies`
 * names). Its content changes only when dependencies do, so the install stays cached across
 * source edits.
 */
export function installInputs(files: string[], readManifest: (path: string) => string): InstallInput[] {
  const patched = new Set<string>();
  for (const file of files.filter((f) => posix.basename(f) === "package.json")) {
    const manifest = parseJsonText(readManifest(file), file) as { patchedDependencies?: unknown };
    const dir = posix.dirname(file);
    if (manifest.patchedDependencies && typeof manifest.patchedDependencies === "object") {
      for (const patch of Object.values(manifest.patchedDependencies)) {
        if (typeof patch === "string") patched.add(posix.normalize(posix.join(dir, patch)));
      }
    }
  }
  return files.flatMap((path): InstallInput[] => {
    const name = posix.basename(path);
    if (name === "package.json") return [{ path, stripLifecycle: true }];
    const isPatch = patched.has(path) || path.split("/").slice(0, -1).includes("patches");
    return INSTALL_FILES.has(name) || isPatch ? [{ path, stripLifecycle: false }] : [];
  });
}

/** A manifest without its lifecycle scripts, every other byte of meaning kept. */
export function withoutLifecycleScripts(text: string, path: string): string {
  const manifest = parseJsonText(text, path) as { scripts?: Record<string, unknown> };
  if (!manifest.scripts || typeof manifest.scripts !== "object") return text;
  const scripts = Object.fromEntries(
    Object.entries(manifest.scripts).filter(([name]) => !LIFECYCLE_SCRIPTS.includes(name)),
  );
  return `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`;
}
