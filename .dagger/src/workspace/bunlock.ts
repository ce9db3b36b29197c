import { InputError } from "../errors.ts";

/**
 * bun.lock is JSON with trailing commas. Dropping a comma that is followed only by whitespace
 * and a closing bracket, outside strings, turns it into plain JSON.
 */
export function stripTrailingCommas(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j] ?? "")) j++;
      if (text[j] === "}" || text[j] === "]") continue;
    }
    out += c;
  }
  return out;
}

/** The workspace directories a bun.lock records ("" is the root). */
export function lockedWorkspaces(text: string, file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripTrailingCommas(text));
  } catch (cause) {
    throw new InputError(`${file}: cannot parse: ${(cause as Error).message}`, { cause });
  }
  const workspaces = (parsed as { workspaces?: unknown }).workspaces;
  if (typeof workspaces !== "object" || workspaces === null) {
    throw new InputError(`${file}: has no "workspaces" table`);
  }
  return Object.keys(workspaces);
}
