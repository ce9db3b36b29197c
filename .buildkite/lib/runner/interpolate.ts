import { InputError } from "../../../.dagger/src/errors.ts";

export type Lookup = (name: string) => string | undefined;

/**
 * Told of each variable whose value went into the pipeline and holds shell command syntax: `$(`
 * or a backtick. Interpolated at upload, such a value becomes part of the command, and the job's
 * shell runs it (a commit message is enough); `$$NAME` leaves it to the job's shell, as a value.
 */
export type OnRisk = (name: string, where: string) => void;

const RUNS_AS_SHELL = (value: string) => value.includes("$(") || value.includes("`");

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const BRACED = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?)([\s\S]*))?$/;
/** `${VAR:offset}` and `${VAR:offset:length}`; a negative offset needs the space (`${VAR: -3}`). */
const SUBSTRING = /^([A-Za-z_][A-Za-z0-9_]*):( -\d+|\d+)(?::(-?\d+))?$/;

/** Bash's substring rules, as Buildkite's interpolation follows them. */
function substring(value: string, offsetText: string, lengthText: string | undefined): string {
  const chars = [...value];
  let start = Number(offsetText.trim());
  if (start < 0) start = chars.length + start;
  if (start < 0 || start > chars.length) return "";
  if (lengthText === undefined) return chars.slice(start).join("");
  const length = Number(lengthText);
  const end = length < 0 ? chars.length + length : start + length;
  return end <= start ? "" : chars.slice(start, end).join("");
}

/**
 * The agent's upload-time interpolation of one string: `$VAR`, `${VAR}`, `${VAR:-default}` (unset
 * or empty), `${VAR-default}` (unset), `${VAR?message}` / `${VAR:?message}` (an error), and `$$`
 * or `\$` for a literal `$`, and `${VAR:offset[:length]}` for a substring (`${BUILDKITE_COMMIT:0:7}`).
 * Defaults are interpolated too. `where` names the value in errors.
 */
export function interpolateString(text: string, lookup: Lookup, where: string, onRisk?: OnRisk): string {
  const valueOf = (name: string) => {
    const value = lookup(name);
    if (value !== undefined && onRisk && RUNS_AS_SHELL(value)) onRisk(name, where);
    return value;
  };
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && text[i + 1] === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}") depth--;
      }
      if (depth > 0) throw new InputError(`${where}: unterminated "\${" in ${JSON.stringify(text)}`);
      const inner = text.slice(i + 2, j - 1);
      const sub = SUBSTRING.exec(inner);
      if (sub) {
        out += substring(valueOf(sub[1] as string) ?? "", sub[2] as string, sub[3]);
        i = j;
        continue;
      }
      const m = BRACED.exec(inner);
      if (!m) throw new InputError(`${where}: unsupported interpolation "\${${inner}}"`);
      const [, name = "", op, arg = ""] = m;
      const value = valueOf(name);
      if (op === ":-") out += value ? value : interpolateString(arg, lookup, where, onRisk);
      else if (op === "-") out += value ?? interpolateString(arg, lookup, where, onRisk);
      else if ((op === "?" && value === undefined) || (op === ":?" && !value)) {
        throw new InputError(`${where}: ${name}: ${arg || "is not set"}`);
      } else out += value ?? "";
      i = j;
    } else {
      const m = NAME.exec(text.slice(i + 1));
      if (m) {
        out += valueOf(m[0]) ?? "";
        i += 1 + m[0].length;
      } else {
        out += "$";
        i++;
      }
    }
  }
  return out;
}

/** Interpolates every string in a document, map keys included; `path` names values in errors. */
export function interpolateDeep(value: unknown, lookup: Lookup, path: string, onRisk?: OnRisk): unknown {
  if (typeof value === "string") return interpolateString(value, lookup, path, onRisk);
  if (Array.isArray(value)) return value.map((v, i) => interpolateDeep(v, lookup, `${path}[${i}]`, onRisk));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        interpolateString(k, lookup, path, onRisk),
        interpolateDeep(v, lookup, path ? `${path}.${k}` : k, onRisk),
      ]),
    );
  }
  return value;
}

/**
 * A pipeline document as `buildkite-agent pipeline upload` interpolates it: the top-level `env`
 * first (each value may use the ones before it), then every other string, looking names up in
 * that env before the process environment.
 */
export function interpolatePipeline(
  doc: Record<string, unknown>,
  base: Lookup,
  onRisk?: OnRisk,
): Record<string, unknown> {
  const env: Record<string, string> = {};
  const lookup: Lookup = (name) => (name in env ? env[name] : base(name));
  const rawEnv = doc.env;
  if (rawEnv && typeof rawEnv === "object" && !Array.isArray(rawEnv)) {
    for (const [k, v] of Object.entries(rawEnv))
      env[k] = interpolateString(String(v), lookup, `env.${k}`, onRisk);
  }
  const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => k !== "env"));
  const out = interpolateDeep(rest, lookup, "", onRisk) as Record<string, unknown>;
  return rawEnv === undefined ? out : { env, ...out };
}

/**
 * The warnings for an upload, one per variable, naming where its value went and the `$$`
 * escape; never the value, which may be a secret.
 */
export function riskWarnings(file: string, risks: Map<string, string[]>): string[] {
  return [...risks].map(([name, all]) => {
    const places = [...new Set(all)];
    const where =
      places.length > 3
        ? `${places.slice(0, 3).join(", ")} and ${places.length - 3} more`
        : places.join(", ");
    return `${file}: $${name} is interpolated at upload into ${where}, and its value holds "$(" or a backtick, which a shell runs as a command; write $$${name} to leave it to the job's shell as a value`;
  });
}
