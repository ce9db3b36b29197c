import { renameSync, writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../src/errors.ts";

/** Write-then-rename, so a reader never sees half a file. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * The one way our CLIs end: bad input exits 2 with its message, anything else is a failure
 * (exit 1) shown with its stack so the cause is never lost.
 */
export async function main(run: () => Promise<number>): Promise<never> {
  try {
    process.exit(await run());
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  }
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
