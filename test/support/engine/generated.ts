import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Adds `count` ordinary source files to `root` (100 per directory), the kind of bulk a large
 * monorepo has: what must not make a check ask the engine for more.
 */
export function addGeneratedFiles(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = join(root, "generated", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.ts`), `export const value${i} = ${i};\n`);
  }
}
