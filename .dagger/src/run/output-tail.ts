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
  /** Why the log file could not be kept (a full disk, a file where its directory should be). */
  private logError?: string;
  total = 0;

  /** A log file that cannot be written never fails the task: its output is still kept, as a tail. */
  constructor(readonly logFile?: string) {
    if (logFile) {
      try {
        mkdirSync(dirname(logFile), { recursive: true });
        this.fd = openSync(logFile, "w");
      } catch (error) {
        this.logError = (error as Error).message;
      }
    }
  }

  push(chunk: Buffer): void {
    if (this.fd !== undefined) {
      try {
        writeSync(this.fd, chunk);
      } catch (error) {
        this.logError = (error as Error).message;
        this.close();
      }
    }
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
    const unlogged = this.logError
      ? `(the log file ${this.logFile} could not be written: ${this.logError})\n`
      : "";
    if (dropped <= 0) return `${unlogged}${kept}`;
    const where = this.logFile && !this.logError ? `; all of it is in ${this.logFile}` : "";
    return `${unlogged}… (${dropped} earlier bytes not kept in memory${where})\n${kept}`;
  }
}
