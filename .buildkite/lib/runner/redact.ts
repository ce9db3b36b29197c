/** The agent's default redaction patterns (`*_PASSWORD`, `*_TOKEN`, …) as one name test. */
export const SECRET_NAME = /_(?:PASSWORD|SECRET|TOKEN|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|CONNECTION_STRING)$/;

/**
 * Values to hide in a job's output: those of secret-named variables. Values under 6 characters
 * are left alone, as the agent does, so that "1" or "true" does not blank out every log line.
 */
export function secretValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

export function redactor(values: string[]): (text: string) => string {
  if (!values.length) return (text) => text;
  return (text) => values.reduce((out, v) => out.replaceAll(v, "[REDACTED]"), text);
}
