/** One logfmt line: `step=version old=0.1.0 new=0.1.1`; values with spaces or quotes are quoted. */
export function logfmt(fields: Record<string, string | number>): string {
  return Object.entries(fields)
    .map(([k, v]) => {
      const s = String(v);
      return `${k}=${/[\s"=]/.test(s) || s === "" ? JSON.stringify(s) : s}`;
    })
    .join(" ");
}
