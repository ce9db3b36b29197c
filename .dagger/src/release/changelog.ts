import { InputError } from "../errors.ts";

/**
 * Keep a Changelog 1.1.0, edited line by line: only the lines a release must change are touched,
 * so everything else in the file (wording, spacing, other sections) stays byte-identical.
 */

/** `## [1.2.3] - 2024-01-01`, `## 1.2.3`, `## v1.2.3`, `## [1.2.3](url) - date [YANKED]`, `## [Unreleased]`. */
const HEADING = /^##\s+\[?v?(Unreleased|\d+\.\d+\.\d+(?:[-+][\w.+-]*)?)\]?(?:\([^)]*\))?(?:\s|$)/i;
const LINK_DEF = /^\[([^\]]+)\]:\s*(\S+)\s*$/;

type Section = { name: string; heading: number; start: number; end: number };

/** Where the trailing block of link definitions starts (or the end of the file). */
function linkBlockStart(lines: string[]): number {
  let i = lines.length;
  while (i > 0 && (LINK_DEF.test(lines[i - 1] ?? "") || (lines[i - 1] ?? "").trim() === "")) i--;
  return i;
}

function sections(lines: string[]): Section[] {
  const stop = linkBlockStart(lines);
  const found: Section[] = [];
  for (const [i, line] of lines.entries()) {
    if (i >= stop) break;
    if (line.startsWith("## ") || line.startsWith("##\t")) {
      const prev = found.at(-1);
      if (prev) prev.end = i;
      const m = HEADING.exec(line);
      found.push({
        name: m?.[1]?.toLowerCase() === "unreleased" ? "Unreleased" : (m?.[1] ?? ""),
        heading: i,
        start: i + 1,
        end: stop,
      });
    }
  }
  return found;
}

const trimBlank = (lines: string[]) => {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a]?.trim()) a++;
  while (b > a && !lines[b - 1]?.trim()) b--;
  return lines.slice(a, b);
};

export function hasUnreleased(text: string): boolean {
  return sections(text.split("\n")).some((s) => s.name === "Unreleased");
}

/** The `[Unreleased]` body's list entries (lines starting with `-` or `*`). */
export function unreleasedEntries(text: string): number {
  const lines = text.split("\n");
  const s = sections(lines).find((x) => x.name === "Unreleased");
  return s ? lines.slice(s.start, s.end).filter((l) => /^\s*[-*]\s+\S/.test(l)).length : 0;
}

/** A version's section body, without its heading and surrounding blank lines; `v` optional. */
export function sectionBody(text: string, version: string): string {
  const wanted = version.replace(/^v/, "");
  const lines = text.split("\n");
  const s = sections(lines).find((x) => x.name === wanted);
  if (!s) throw new InputError(`no section for ${version} in the changelog`);
  return trimBlank(lines.slice(s.start, s.end)).join("\n");
}

/**
 * `[Unreleased]` becomes `## [X.Y.Z] - date` under a fresh, empty `[Unreleased]`; `notes` fills
 * the new section when `[Unreleased]` had none. The compare links at the bottom follow.
 */
export function rollForward(text: string, version: string, date: string, notes?: string): string {
  const lines = text.split("\n");
  const u = sections(lines).find((x) => x.name === "Unreleased");
  if (!u) throw new InputError("CHANGELOG.md has no ## [Unreleased] section");
  // Generated notes get one blank line before whatever follows, unless a blank is already there.
  const separator = lines[u.end]?.trim() === "" ? [] : [""];
  const body =
    notes === undefined
      ? lines.slice(u.start, u.end)
      : ["", ...notes.replace(/\n+$/, "").split("\n"), ...separator];
  const out = [
    ...lines.slice(0, u.heading + 1),
    "",
    `## [${version}] - ${date}`,
    ...body,
    ...lines.slice(u.end),
  ];
  return updateLinks(out, version).join("\n");
}

/**
 * `[Unreleased]: …/compare/vPREV...HEAD` → `…/compare/vX...HEAD` plus `[X]: …/compare/vPREV...vX`;
 * before a first release, `[Unreleased]: …/commits/HEAD` → the same plus `[X]: …/releases/tag/vX`.
 * Any other form of link is left as it is.
 */
function updateLinks(lines: string[], version: string): string[] {
  const i = lines.findIndex((l) => LINK_DEF.exec(l)?.[1]?.toLowerCase() === "unreleased");
  if (i < 0) return lines;
  const url = LINK_DEF.exec(lines[i] ?? "")?.[2] ?? "";
  const compare = /^(.*)\/compare\/(\S+?)\.\.\.HEAD$/.exec(url);
  const first = /^(.*)\/commits\/HEAD$/.exec(url);
  const base = compare?.[1] ?? first?.[1];
  if (base === undefined) return lines;
  const label = lines[i]?.slice(1, lines[i]?.indexOf("]")) ?? "Unreleased";
  const released = compare
    ? `${base}/compare/${compare[2]}...v${version}`
    : `${base}/releases/tag/v${version}`;
  return [
    ...lines.slice(0, i),
    `[${label}]: ${base}/compare/v${version}...HEAD`,
    `[${version}]: ${released}`,
    ...lines.slice(i + 1),
  ];
}
