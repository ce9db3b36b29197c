import picomatch from "picomatch";
import { InputError } from "../errors.ts";
import type { SourceView } from "../source/view.ts";
import { parseManifest, workspaceGlobs, type PackageManifest } from "./manifest.ts";

export type WorkspacePackage = {
  /** Directory relative to the monorepo root, e.g. `packages/money`. */
  dir: string;
  manifestPath: string;
  manifest: PackageManifest;
};

export type Workspace = {
  root: PackageManifest;
  globs: string[];
  members: WorkspacePackage[];
  /** Every package.json below the root (outside node_modules), member or not. */
  manifests: WorkspacePackage[];
  /** Members the config excludes from every check (`exclude`), with why; not in `members`. */
  excluded: { pkg: WorkspacePackage; reason: string }[];
};

const dirOf = (manifestPath: string) =>
  manifestPath === "package.json" ? "." : manifestPath.slice(0, -"/package.json".length);

/** The package a file belongs to: the deepest package directory that contains it. */
export function owningPackage(file: string, packages: WorkspacePackage[]): WorkspacePackage | undefined {
  let best: WorkspacePackage | undefined;
  for (const pkg of packages) {
    const inside = pkg.dir === "." || file.startsWith(`${pkg.dir}/`);
    if (inside && (!best || best.dir === "." || pkg.dir.length > best.dir.length)) best = pkg;
  }
  return best;
}

/** A display name for a package: its `name`, or its directory when it has none. */
export const packageLabel = (pkg: WorkspacePackage) => pkg.manifest.name ?? pkg.dir;

/**
 * The fixed directory prefix of each workspace glob (`packages/*` → `packages`): a package.json
 * below one of these that no glob matches is a forgotten workspace.
 */
export function workspaceRoots(globs: string[]): string[] {
  return globs
    .filter((g) => !g.startsWith("!"))
    .map((g) => {
      const parts: string[] = [];
      for (const part of g.replace(/^\.\//, "").split("/")) {
        if (picomatch.scan(part).isGlob) break;
        parts.push(part);
      }
      return parts.join("/") || ".";
    });
}

export async function discoverWorkspace(view: SourceView): Promise<Workspace> {
  const files = await view.listFiles();
  const rootText = await view.readText("package.json");
  if (rootText === undefined) throw new InputError(`${view.name}: no package.json at the root`);
  const root = parseManifest(rootText, "package.json");
  const globs = workspaceGlobs(root);
  const manifestPaths = files.filter((f) => f.endsWith("/package.json"));
  const manifests: WorkspacePackage[] = [];
  for (const manifestPath of manifestPaths) {
    const text = await view.readText(manifestPath);
    if (text === undefined) continue;
    manifests.push({ dir: dirOf(manifestPath), manifestPath, manifest: parseManifest(text, manifestPath) });
  }
  const include = globs.filter((g) => !g.startsWith("!")).map((g) => g.replace(/^\.\//, ""));
  const exclude = globs.filter((g) => g.startsWith("!")).map((g) => g.slice(1).replace(/^\.\//, ""));
  const isMember = picomatch(include.length ? include : ["\0none"], { ignore: exclude, dot: true });
  const members = manifests.filter((m) => isMember(m.dir));
  return { root, globs, members, manifests, excluded: [] };
}
