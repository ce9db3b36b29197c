import picomatch from "picomatch";
import type { WorkspacePackage } from "./discover.ts";

/**
 * Does a config's package pattern name this package? By its name or its directory, exactly or
 * as a glob (`examples/*`, `@acme/demo-*`), so one entry can cover a folder of demos.
 */
export function matchesPackage(pattern: string, pkg: WorkspacePackage): boolean {
  const name = pkg.manifest.name;
  if (pattern === pkg.dir || pattern === name) return true;
  const matches = picomatch(pattern, { dot: true });
  return matches(pkg.dir) || (name !== undefined && matches(name));
}
