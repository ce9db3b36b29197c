/** Lower-case, ASCII-only, dash-separated: safe for URLs and file names. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Cuts at a word boundary when one is close, so labels never end mid-word. */
export function truncate(text: string, max: number): string {
  if (max < 1) throw new RangeError(`max must be at least 1, got ${max}`);
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The first letter of each word, upper-cased: "Ada Lovelace" → "AL". Deliberately left without a
 * test, so the demo's coverage is below 100% and `coverage.minimum` has something to gate.
 */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() ?? "")
    .join("");
}
