import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** How much of a task's output stays in memory; the whole of it goes to the log file. */
export const TAIL_BYTES = 256 * 1024;

/**
 * A task's output: the whole stream to a log file on disk, and only its last TAIL_BYTES in
 * memory, so 450 MB of output costs a file, not the heap.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private fd: number | undefined;
  total = 0;

  constructor(readonly logFile?: string) {
    if (logFile) {
      mkdirSync(dirname(logFile), { recursive: true });
      this.fd = openSync(logFile, "w");
    }
  }

  push(chunk: Buffer): void {
    if (this.fd !== undefined) writeSync(this.fd, chunk);
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes - (this.chunks[0]?.length ?? 0) >= TAIL_BYTES) {
      this.bytes -= this.chunks.shift()?.length ?? 0;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** The kept tail as text; says how much came before it when anything was dropped. */
  text(): string {
    const kept = Buffer.concat(this.chunks).toString("utf8");
    const dropped = this.total - this.bytes;
    if (dropped <= 0) return kept;
    const where = this.logFile ? `; all of it is in ${this.logFile}` : "";
    return `… (${dropped} earlier bytes not kept in memory${where})\n${kept}`;
  }
}
