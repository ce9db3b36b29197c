import { catalog, cliName } from "../catalog/catalog.ts";
import type { Catalog } from "../catalog/schema.ts";
import { InputError } from "../errors.ts";

/** A region of a file that is rendered from the catalog, between two marker lines. */
type Section = { file: string; begin: string; end: string; render: (entries: Catalog) => string };

const WHEN: Record<Catalog[number]["when"], string> = {
  always: "every build",
  "pull-request": "pull requests",
  "default-branch": "default branch",
  tag: "release tags",
  manual: "no step (`dagger call`)",
};

/** A Markdown table padded the way Prettier pads it, so the formatter leaves it alone. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(3, ...rows.map((r) => [...(r[i] ?? "")].length))) ?? [];
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

function checksTable(entries: Catalog): string {
  return markdownTable([
    ["key", "Buildkite label", "Dagger function", "host command", "runs on", "timeout"],
    ...entries.map((e) => [
      `\`${e.key}\``,
      e.label,
      `\`${cliName(e.daggerFunction)}\``,
      e.hostCommand ? `\`${e.hostCommand}\`` : "(Dagger only)",
      WHEN[e.when],
      `${e.timeoutMinutes} min`,
    ]),
  ]);
}

/** One recipe per entry with a host command; release steps run only in Dagger. */
function justRecipes(entries: Catalog): string {
  return entries
    .filter((e) => e.hostCommand)
    .map((e) => `# ${e.description}\n${e.key} *args:\n    ${e.hostCommand} {{ args }}`)
    .join("\n\n");
}

export const SECTIONS: Section[] = [
  {
    file: "README.md",
    begin: "<!-- BEGIN GENERATED: checks table -->",
    end: "<!-- END GENERATED: checks table -->",
    render: checksTable,
  },
  {
    file: "justfile",
    begin: "# BEGIN GENERATED: check recipes (from the catalog; `bun run readmes` rewrites them)",
    end: "# END GENERATED: check recipes",
    render: justRecipes,
  },
];

export const GENERATED_FILES = [...new Set(SECTIONS.map((s) => s.file))];

export type Regenerated = {
  text: string;
  /** Sections the file has no marker lines for: not written, and said so. */
  unmarked: string[];
};

/**
 * Rewrites every generated section of `file` that it marks. The markers are optional: a README
 * of a team's own has none, and its text is never touched then; the caller says which sections
 * were left out. An end marker before its begin marker is bad input, named.
 */
export function regenerate(file: string, text: string, entries: Catalog = catalog): Regenerated {
  let out = text;
  const unmarked: string[] = [];
  for (const section of SECTIONS.filter((s) => s.file === file)) {
    const start = out.indexOf(section.begin);
    const stop = out.indexOf(section.end);
    if (start < 0 && stop < 0) {
      unmarked.push(
        `${file}: no marker lines "${section.begin}" … "${section.end}", so that section is not written`,
      );
      continue;
    }
    if (start < 0 || stop < start) {
      throw new InputError(
        `${file}: the marker lines "${section.begin}" … "${section.end}" are incomplete or out of order`,
      );
    }
    out = `${out.slice(0, start + section.begin.length)}\n\n${section.render(entries)}\n\n${out.slice(stop)}`;
  }
  return { text: out, unmarked };
}
