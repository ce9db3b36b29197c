/**
 * The agent's default redacted-variable patterns (`*_PASSWORD`, `*_SECRET`, `*_TOKEN`,
 * `*_PRIVATE_KEY`, `*_ACCESS_KEY`, `*_SECRET_KEY`, `*_CONNECTION_STRING`, `*_API_KEY`,
 * `*_SSH_KEY`) as one name test.
 */
export const SECRET_NAME =
  /_(?:PASSWORD|SECRET|TOKEN|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|CONNECTION_STRING|API_KEY|SSH_KEY)$/;

/** Values shorter than this are left alone, as the agent does, so "1" does not blank every line. */
const MIN_LENGTH = 6;

/**
 * Values to hide: those of secret-named variables, and each line of a multi-line one (output is
 * redacted line by line, so a key's lines must each be known).
 */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!SECRET_NAME.test(name) || value === undefined) continue;
    for (const v of [value, ...value.split(/\r?\n/).map((l) => l.trim())]) {
      if (v.length >= MIN_LENGTH) values.add(v);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function redactor(values: string[]): (text: string) => string {
  if (!values.length) return (text) => text;
  return (text) => values.reduce((out, v) => out.replaceAll(v, "[REDACTED]"), text);
}

/**
 * Every secret the build has seen so far (the runner's environment, the pipeline's, each job's,
 * uploads included), for what is not a job's own output: labels, the summary, annotations,
 * meta-data and every report.
 */
export class Secrets {
  private readonly values = new Set<string>();
  private current: (text: string) => string = (text) => text;

  add(env: Record<string, string | undefined>): void {
    const before = this.values.size;
    for (const v of secretValues(env)) this.values.add(v);
    if (this.values.size !== before) {
      this.current = redactor([...this.values].sort((a, b) => b.length - a.length));
    }
  }

  readonly redact = (text: string): string => this.current(text);
}
