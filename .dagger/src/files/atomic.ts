import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";

/**
 * Write-then-rename, so a reader never sees half a file; no temp file survives a failure. The
 * temp name is unique per call, so concurrent writers (processes or tasks) never share one.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
