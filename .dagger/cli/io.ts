import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../src/errors.ts";
import { printable } from "../src/text/printable.ts";
export { writeFileAtomic } from "../src/files/atomic.ts";

/**
 * Checks before any work that `path` can be written: its directory exists and takes a new file,
 * and it is not a directory. A bad path fails at the start, naming the flag, not at the end.
 */
/** A reader of the files under `root`: a file's text, or undefined when there is none. */
export function fileReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const file = join(root, path);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  };
}

export function assertWritable(path: string, flag: string): void {
  const dir = dirname(resolve(path));
  let problem: string | undefined;
  if (!existsSync(dir)) problem = `${dir} does not exist`;
  else if (!statSync(dir).isDirectory()) problem = `${dir} is not a directory`;
  else if (existsSync(path) && statSync(path).isDirectory()) problem = "it is a directory";
  else {
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      problem = `${dir} is not writable`;
    }
  }
  if (problem) throw new InputError(`${flag} ${path}: cannot write there: ${problem}`);
}

/**
 * Ends `stream` and resolves once everything written to it has reached the OS (a pipe's reader
 * may be slow) or it failed. A failure arrives as an 'error' event (EPIPE, ENOSPC on
 * /dev/full), which may come a tick after the end, or may already have come: a stream that
 * failed may never call back, so its failure (`failed`) ends the wait too.
 */
async function finish(stream: NodeJS.WriteStream, failed: () => boolean): Promise<void> {
  await new Promise<void>((resolve) => {
    if (failed() || stream.destroyed || stream.writableEnded) return resolve();
    const timer = setInterval(() => {
      if (failed() || stream.errored) done();
    }, 20);
    const done = () => {
      clearInterval(timer);
      resolve();
    };
    stream.once("error", done);
    stream.once("close", done);
    stream.end(done);
  });
  await new Promise((resolve) => setImmediate(resolve));
}

/** The exit code for what run() did: its own, 2 for bad input, 1 (with the stack) otherwise. */
async function outcome(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`error: ${printable(error.message)}\n`);
      return 2;
    }
    process.stderr.write(
      `error: ${printable(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return 1;
  }
}

/**
 * The one way our CLIs end: bad input exits 2 with its message, anything else is a failure
 * (exit 1) shown with its stack so the cause is never lost. Before exiting it waits until
 * stdout and stderr have drained, so a slow reader of a pipe gets every byte; output that could
 * not be written is a failure, never a silent exit 0.
 */
export async function main(run: () => Promise<number>): Promise<never> {
  const failures = new Map<string, Error>();
  process.stdout.on("error", (error) => failures.set("stdout", error));
  process.stderr.on("error", (error) => failures.set("stderr", error));
  let code = await outcome(run);
  await finish(process.stdout, () => failures.has("stdout"));
  const lost = failures.get("stdout");
  if (lost) {
    if (!failures.has("stderr")) process.stderr.write(`error: could not write the output: ${lost.message}\n`);
    if (code === 0) code = 1;
  }
  await finish(process.stderr, () => failures.has("stderr"));
  if (failures.has("stderr") && code === 0) code = 1;
  process.exit(code);
}

/**
 * Strict `parseArgs` for our CLIs. Its errors name the option; they become input errors (exit 2)
 * followed by the usage. Positionals are refused unless the command takes them.
 */
export function parseCli<const O extends NonNullable<ParseArgsConfig["options"]>>(
  usage: string,
  options: O,
  takesPositionals = false,
) {
  try {
    return parseArgs({ options, allowPositionals: takesPositionals, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${usage}`);
  }
}
