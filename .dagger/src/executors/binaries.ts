import { type Directory } from "@dagger.io/dagger";
import { posix } from "node:path";
import { compileArgv, planBinaries } from "../binaries/plan.ts";
import { installRootOf, loadContext } from "../checks/context.ts";
import { InputError } from "../errors.ts";
import { DaggerSource } from "../source/dagger.ts";
import { DaggerExecutor, SRC } from "./dagger.ts";

const OUT = "/out";

/**
 * The executables monorepo-ci.json declares, built in the engine as `bun run binaries` builds
 * them on the host: the same plan, the same `bun build --compile` per target, and SHA256SUMS.
 */
export async function daggerBinaries(source: Directory): Promise<Directory> {
  const ctx = await loadContext(new DaggerSource(source));
  const builds = await planBinaries(ctx);
  if (!builds.length) throw new InputError("binaries: monorepo-ci.json declares no executable to build");
  const roots = [...new Set(await Promise.all(builds.map((b) => installRootOf(ctx, b.cwd))))];
  let ctr = await new DaggerExecutor(source, "unknown").installed(roots);
  for (const b of builds) {
    ctr = ctr.withWorkdir(posix.join(SRC, b.cwd)).withExec(compileArgv(b, `${OUT}/${b.file}`));
  }
  // A constant script: the glob is expanded before the redirection creates SHA256SUMS.
  return ctr.withWorkdir(OUT).withExec(["sh", "-c", "sha256sum -- * > SHA256SUMS"]).directory(OUT);
}
