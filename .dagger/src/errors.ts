import type { z } from "zod";

/**
 * Bad input or configuration: a file, key or argument is wrong. CLIs turn it into exit code 2,
 * while a check that ran and found problems exits 1.
 */
export class InputError extends Error {
  override name = "InputError";
}

/** JSON.parse that names the file in its error instead of a bare SyntaxError. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    // Editors on Windows save a UTF-8 byte order mark; JSON.parse refuses it, people do not.
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (cause) {
    throw new InputError(`${file}: invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Parses with a zod schema; every issue is listed with its key path and the file. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`,
  );
  throw new InputError(`${file}: invalid configuration\n${lines.join("\n")}`);
}
