import { z } from "zod";
import { parseJsonText, parseWith } from "../../errors.ts";
import type { InlineOutcome } from "../../plan/task.ts";
import { owningPackage, packageLabel, type WorkspacePackage } from "../../workspace/discover.ts";
import type { CheckContext } from "../context.ts";

/**
 * Every tool's way to silence itself: ESLint's, TypeScript's, Prettier's, Biome's, oxlint's and
 * dprint's comments, so a repo on any of them has its suppressions counted.
 */
export const SUPPRESSION_KINDS = [
  "eslint-disable",
  "@ts-ignore",
  "@ts-expect-error",
  "@ts-nocheck",
  "prettier-ignore",
  "biome-ignore",
  "oxlint-disable",
  "dprint-ignore",
] as const;
export type SuppressionKind = (typeof SUPPRESSION_KINDS)[number];

/** Per package, per kind; kinds with zero are left out so the file stays short. */
export const Baseline = z.record(
  z.string(),
  z.partialRecord(z.enum(SUPPRESSION_KINDS), z.number().int().min(0)),
);
export type Baseline = z.infer<typeof Baseline>;

const COUNTED_FILES = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|css|scss|html|md|ya?ml)$/;
/** Only a directive at the start of a comment is a suppression; the word in prose is not. */
export const DIRECTIVE =
  /(?:\/\/|\/\*|<!--|#)\s*(eslint-disable(?:-next-line|-line)?|oxlint-disable(?:-next-line|-line)?|biome-ignore(?:-all|-start)?|dprint-ignore(?:-file)?|@ts-ignore|@ts-expect-error|@ts-nocheck|prettier-ignore)(?![\w-])/g;

/** A directive's kind: its variants (`-next-line`, `-all`, `-file`, …) count as the tool's one kind. */
export function kindOf(directive: string): SuppressionKind {
  const kind = SUPPRESSION_KINDS.find((k) => directive === k || directive.startsWith(`${k}-`));
  return kind ?? (directive as SuppressionKind);
}

/** Counts every suppression, attributed to the package whose directory holds the file. */
export async function countSuppressions({ view, workspace }: CheckContext): Promise<Baseline> {
  const root: WorkspacePackage = { dir: ".", manifestPath: "package.json", manifest: workspace.root };
  const packages = [root, ...workspace.manifests];
  const counts: Baseline = {};
  for (const file of await view.listFiles()) {
    if (!COUNTED_FILES.test(file)) continue;
    const text = await view.readText(file);
    if (text === undefined) continue;
    for (const match of text.matchAll(DIRECTIVE)) {
      const pkg = owningPackage(file, packages) ?? root;
      const name = packageLabel(pkg);
      const kind = kindOf(match[1] as string);
      const entry = (counts[name] ??= {});
      entry[kind] = (entry[kind] ?? 0) + 1;
    }
  }
  return counts;
}

/** Stable key order, so a rewritten baseline diffs cleanly, in the file's own indent. */
export function renderBaseline(counts: Baseline, indent = "  "): string {
  const sorted: Baseline = {};
  for (const name of Object.keys(counts).sort()) {
    const kinds = counts[name] ?? {};
    const entry: Baseline[string] = {};
    for (const kind of SUPPRESSION_KINDS) if (kinds[kind]) entry[kind] = kinds[kind];
    if (Object.keys(entry).length) sorted[name] = entry;
  }
  return `${JSON.stringify(sorted, null, indent)}\n`;
}

export async function readBaseline(ctx: CheckContext): Promise<Baseline | undefined> {
  const file = ctx.config.qualityBaseline;
  const text = await ctx.view.readText(file);
  return text === undefined ? undefined : parseWith(Baseline, parseJsonText(text, file), file);
}

/** An increase fails with the package and counts; a decrease passes and asks to lower the baseline. */
export async function checkSuppressions(ctx: CheckContext): Promise<InlineOutcome> {
  const file = ctx.config.qualityBaseline;
  const [counts, baseline] = await Promise.all([countSuppressions(ctx), readBaseline(ctx)]);
  const known = baseline ?? {};
  const findings = [];
  const notes = [];
  const record = "bun run check quality --update-baseline";
  for (const name of [...new Set([...Object.keys(counts), ...Object.keys(known)])].sort()) {
    for (const kind of SUPPRESSION_KINDS) {
      const now = counts[name]?.[kind] ?? 0;
      const allowed = known[name]?.[kind] ?? 0;
      if (now > allowed && !baseline) {
        // A repository adopting the ratchet: these are the suppressions it has, not new ones.
        findings.push({
          where: name,
          message: `${kind}: ${now} existing, and no baseline yet at ${file}; record them with \`${record}\` and commit it`,
        });
      } else if (now > allowed) {
        findings.push({
          where: name,
          message: `${kind}: ${now - allowed} new (now ${now}, baseline ${allowed} in ${file}); remove the new ones, or, if they must stay, record them with \`${record}\``,
        });
      } else if (now < allowed) {
        notes.push(
          `${name}: ${kind} fell from ${allowed} to ${now}; lower the baseline with --update-baseline`,
        );
      }
    }
  }
  return { findings, notes };
}
