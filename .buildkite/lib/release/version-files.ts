import { InputError } from "../../../.dagger/src/errors.ts";

const VERSION_KEY = /^(\s*"version"\s*:\s*")([^"]*)(")/m;

/** The top-level "version" of a JSON file. */
export function readVersion(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InputError(`${file}: invalid JSON: ${(cause as Error).message}`, { cause });
  }
  const version = (parsed as { version?: unknown }).version;
  if (typeof version !== "string") throw new InputError(`${file}: has no "version" string`);
  return version;
}

/**
 * Rewrites only the characters of the version, so the file's formatting, key order and every
 * other byte stay as they were.
 */
export function writeVersion(text: string, file: string, version: string): string {
  readVersion(text, file);
  if (!VERSION_KEY.test(text)) throw new InputError(`${file}: "version" is not on a line of its own`);
  return text.replace(
    VERSION_KEY,
    (_, before: string, _old: string, after: string) => `${before}${version}${after}`,
  );
}
