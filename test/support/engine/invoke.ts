// Runs one of the module's functions the way the engine's TypeScript runtime (bun) does: a
// module directory with `src/`, the generated SDK client beside it and the entrypoint the
// runtime writes into `src/`, started with `bun run src/__dagger.entrypoint.ts`, talking to the
// engine stand-in through DAGGER_SESSION_PORT and DAGGER_SESSION_TOKEN.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { catalog } from "../../../.dagger/src/catalog/catalog.ts";
import { REPO } from "../helpers.ts";
import { capture } from "../process.ts";
import { EngineStandIn, type Recording, type StandInOptions } from "./stand-in.ts";

export const MODULE_DIR = join(REPO, ".dagger");

/**
 * What the runtime's entrypoint does, written here from its behaviour: list every .ts/.mts file
 * under src/ (recursively), add the generated client, and hand them to the SDK's entrypoint(),
 * which imports all of them before it asks which function to call.
 */
const ENTRYPOINT = `import { entrypoint } from "@dagger.io/dagger";
import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";

function moduleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return moduleFiles(path);
    return [".ts", ".mts"].includes(extname(path)) ? [path] : [];
  });
}

entrypoint([...moduleFiles(import.meta.dirname), join(import.meta.dirname, "..", "sdk", "client.gen.ts")]);
`;

/** The Tier 0 check functions, in catalog order. */
export const CHECK_FUNCTIONS = catalog.filter((e) => e.kind === "check").map((e) => e.daggerFunction);

export type Invocation = { recording: Recording; exitCode: number; stdout: string; stderr: string };

/** A throwaway module laid out as the runtime lays it out; its dependencies are the real ones. */
function moduleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "monorepo-ci-module-"));
  cpSync(MODULE_DIR, dir, { recursive: true, filter: (src) => !src.endsWith("/node_modules") });
  symlinkSync(join(MODULE_DIR, "node_modules"), join(dir, "node_modules"));
  // The runtime generates sdk/client.gen.ts; the npm package ships the same API as a .d.ts.
  const sdkDist = dirname(Bun.resolveSync("@dagger.io/dagger", MODULE_DIR));
  mkdirSync(join(dir, "sdk"));
  copyFileSync(join(sdkDist, "api", "client.gen.d.ts"), join(dir, "sdk", "client.gen.ts"));
  writeFileSync(join(dir, "src", "__dagger.entrypoint.ts"), ENTRYPOINT);
  return dir;
}

/** Calls `fn` on the stand-in engine and returns what the engine saw, once the process ended. */
export async function invoke(opts: Omit<StandInOptions, "moduleDir">): Promise<Invocation> {
  const engine = new EngineStandIn({ ...opts, moduleDir: MODULE_DIR });
  const port = engine.start();
  const module = moduleCopy();
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
    rmSync(module, { recursive: true, force: true });
  }
}
