// Runs one of the module's functions the way the engine's TypeScript runtime (bun) does: the
// module laid out as the runtime lays it out (runtime.ts), started with
// `bun run src/__dagger.entrypoint.ts`, talking to the engine stand-in through
// DAGGER_SESSION_PORT and DAGGER_SESSION_TOKEN.
import { join } from "node:path";
import { catalog } from "../../../.dagger/src/catalog/catalog.ts";
import { REPO } from "../helpers.ts";
import { capture } from "../process.ts";
import { runtimeLayout } from "./runtime.ts";
import { EngineStandIn, type Recording, type StandInOptions } from "./stand-in.ts";

export const MODULE_DIR = join(REPO, ".dagger");

/** The Tier 0 check functions, in catalog order. */
export const CHECK_FUNCTIONS = catalog.filter((e) => e.kind === "check").map((e) => e.daggerFunction);

export type Invocation = { recording: Recording; exitCode: number; stdout: string; stderr: string };

/**
 * Calls `fn` on the stand-in engine and returns what the engine saw, once the process ended.
 * `moduleDir` is the module to lay out and load (this repository's by default).
 */
export async function invoke(
  opts: Omit<StandInOptions, "moduleDir">,
  moduleDir = MODULE_DIR,
): Promise<Invocation> {
  const module = await runtimeLayout(moduleDir);
  const engine = new EngineStandIn({ ...opts, moduleDir: module });
  const port = engine.start();
  try {
    const run = await capture(["bun", "run", "src/__dagger.entrypoint.ts"], {
      cwd: module,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        DAGGER_SESSION_PORT: String(port),
        DAGGER_SESSION_TOKEN: engine.token,
      },
    });
    return { recording: engine.recording, ...run };
  } finally {
    engine.stop();
  }
}
