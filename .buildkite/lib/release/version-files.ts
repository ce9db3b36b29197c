import { isDeepStrictEqual } from "node:util";
import { InputError } from "../../../.dagger/src/errors.ts";

function parse(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InputError(`${file}: invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** The top-level "version" of a JSON file. */
export function readVersion(text: string, file: string): string {
  const version = (parse(text, file) as { version?: unknown }).version;
  if (typeof version !== "string") throw new InputError(`${file}: has no top-level "version" string`);
  return version;
}

/** The index just past the string literal that opens at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

const skipSpace = (text: string, i: number) => {
  while (/\s/.test(text[i] ?? "")) i++;
  return i;
};

/**
 * Where the characters of the top-level "version" string value are: scanning the text with its
 * nesting depth, so a "version" inside `config`, `publishConfig` or a string is never taken.
 * The last one wins, as it does for JSON.parse.
 */
function topLevelVersionSpan(text: string): { start: number; end: number } | undefined {
  let depth = 0;
  let found: { start: number; end: number } | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      const end = stringEnd(text, i);
      const colon = skipSpace(text, end);
      if (depth === 1 && text[colon] === ":" && JSON.parse(text.slice(i, end)) === "version") {
        const value = skipSpace(text, colon + 1);
        if (text[value] === '"') found = { start: value + 1, end: stringEnd(text, value) - 1 };
      }
      i = end - 1;
    }
  }
  return found;
}

/**
 * Rewrites only the characters of the top-level version, so the file's formatting, key order and
 * every other byte stay as they were; then proves it, by parsing the result: the version is the
 * new one and nothing else changed. A file it cannot rewrite that way is refused, never guessed.
 */
export function writeVersion(text: string, file: string, version: string): string {
  const before = parse(text, file) as Record<string, unknown>;
  readVersion(text, file);
  const span = topLevelVersionSpan(text);
  if (!span) throw new InputError(`${file}: cannot find the top-level "version" to rewrite`);
  const after = `${text.slice(0, span.start)}${version}${text.slice(span.end)}`;
  if (!isDeepStrictEqual(parse(after, file), { ...before, version })) {
    throw new InputError(`${file}: rewriting "version" would change more than the version; edit it by hand`);
  }
  return after;
}
