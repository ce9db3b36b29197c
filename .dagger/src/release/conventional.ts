/** A commit as `git log` gives it. */
export type Commit = { hash: string; subject: string; body: string };

const HEADER = /^(\w+)(?:\(([^)]*)\))?(!)?:\s+(.+)$/;

/** Keep a Changelog's groups, in the order they are written; Breaking leads. */
const GROUPS = ["Breaking", "Added", "Changed", "Removed", "Fixed", "Security"] as const;
type Group = (typeof GROUPS)[number];

function groupOf(type: string, scope: string | undefined, breaking: boolean): Group | undefined {
  if (breaking) return "Breaking";
  if (type === "security" || scope === "security") return "Security";
  switch (type) {
    case "feat":
      return "Added";
    case "fix":
      return "Fixed";
    case "perf":
    case "refactor":
      return "Changed";
    case "remove":
    case "removed":
      return "Removed";
    default:
      return undefined; // chore, docs, test, ci, build, style: not user-facing
  }
}

const render = (groups: Map<Group, string[]>) =>
  GROUPS.filter((g) => groups.get(g)?.length)
    .map((g) => `### ${g}\n\n${(groups.get(g) ?? []).join("\n")}`)
    .join("\n\n");

/**
 * Release notes from Conventional Commits: feat → Added, fix → Fixed, perf/refactor → Changed,
 * remove → Removed, security (type or scope) → Security, `!` or `BREAKING CHANGE:` → Breaking.
 * Undefined when no commit is user-facing.
 */
export function conventionalNotes(commits: Commit[]): { notes: string; entries: number } | undefined {
  const groups = new Map<Group, string[]>();
  let entries = 0;
  for (const c of commits) {
    const m = HEADER.exec(c.subject);
    if (!m) continue;
    const [, type = "", scope, bang, description] = m;
    const breaking = bang === "!" || /^BREAKING[ -]CHANGE:/m.test(c.body);
    const group = groupOf(type.toLowerCase(), scope?.toLowerCase(), breaking);
    if (!group) continue;
    const line = `- ${scope ? `**${scope}:** ` : ""}${description} (${c.hash.slice(0, 7)})`;
    groups.set(group, [...(groups.get(group) ?? []), line]);
    entries++;
  }
  return entries ? { notes: render(groups), entries } : undefined;
}

/** The fallback: every subject under Changed, release commits left out. */
export function plainNotes(commits: Commit[]): { notes: string; entries: number } | undefined {
  const lines = commits
    .filter((c) => !c.subject.startsWith("chore(release):"))
    .map((c) => `- ${c.subject} (${c.hash.slice(0, 7)})`);
  return lines.length ? { notes: render(new Map([["Changed", lines]])), entries: lines.length } : undefined;
}
