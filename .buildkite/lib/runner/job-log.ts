import { closeSync, openSync, writeSync } from "node:fs";

/**
 * One attempt's view of a job's log file. The file is created at the attempt's first line, with
 * the attempt's header before it: a job that prints nothing has no log (the report says `log:
 * null`), and creating a file is most of what a silent job would otherwise cost. One descriptor
 * per attempt, since opening the file for every line would cost more still.
 */
export class JobLog {
  private fd: number | null = null;
  /** Whether this attempt made or appended to the file. */
  written = false;

  constructor(
    readonly job: string,
    private readonly path: string,
    private readonly header: string,
  ) {}

  line(text: string): void {
    this.write(`${text}\n`);
  }

  /** Text as it is, with no line end: a piece of a line too long to hold in memory. */
  write(text: string): void {
    if (this.fd === null) {
      this.fd = openSync(this.path, "a");
      this.written = true;
      writeSync(this.fd, `${this.header}\n`);
    }
    writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
