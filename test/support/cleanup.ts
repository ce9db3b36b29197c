// What support code makes for a whole run (temp dirs, the engine stand-in's containers and
// images) is removed at its end. Bun's test runner exits without firing process "exit"
// listeners, so the test preload (preload.ts) runs these from a global afterAll; a bench or
// script that uses the same support code gets them from "exit".
import { rmSync } from "node:fs";

const cleanups: (() => void)[] = [];

/** Runs `fn` once at the end of the run, whichever way it ends. */
export function atExit(fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  cleanups.push(once);
  process.on("exit", once);
}

/** Removes `path` at the end of the run, if a test did not already. */
export function removeAtExit(path: string): string {
  atExit(() => rmSync(path, { recursive: true, force: true }));
  return path;
}

/** Every cleanup, each once; one that fails is said and does not stop the others. */
export function runCleanups(): void {
  for (const fn of cleanups.splice(0)) {
    try {
      fn();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}
