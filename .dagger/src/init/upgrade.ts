import { parseJsonText } from "../errors.ts";
import { OWNED_MARK, PIPELINE_FILE, pipelineYaml, type FileChange } from "./plan.ts";

/**
 * What `monorepo-ci upgrade` changes once a newer package is installed: the files init owns are
 * rewritten for the installed version, dagger.json's toolchain reference moves to it (only that
 * field: the rest of the file is the user's), and the changelog entries in between are shown.
 */

export type UpgradeInput = {
  existing: (path: string) => string | undefined;
  version: string;
  moduleRef: string;
  changelog: string;
};

export type UpgradePlan = { from: string | undefined; files: FileChange[]; entries: string[] };

/** The version the repository was set up with: its toolchain reference, else its pipeline.yml. */
function setUpWith(input: UpgradeInput): string | undefined {
  const dagger = input.existing("dagger.json");
  const ref = dagger?.match(
    new RegExp(`"${input.moduleRef.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}@v([^"]+)"`),
  )?.[1];
  return ref ?? input.existing(PIPELINE_FILE)?.match(/\(monorepo-ci ([^)]+)\)/)?.[1];
}

/** "1.2.10" > "1.2.9": numeric by part; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [p, q] = [x[i], y[i]];
    if (p === q) continue;
    if (p === undefined) return typeof q === "number" ? -1 : 1;
    if (q === undefined) return typeof p === "number" ? 1 : -1;
    if (typeof p === "number" && typeof q === "number") return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}

/** The CHANGELOG sections (Keep a Changelog) after `from`, up to and including `to`. */
export function changelogBetween(changelog: string, from: string | undefined, to: string): string[] {
  const sections = changelog.split(/^(?=## \[)/m).slice(1);
  return sections
    .filter((section) => {
      const version = /^## \[([^\]]+)\]/.exec(section)?.[1];
      if (!version || version === "Unreleased") return false;
      return compareVersions(version, to) <= 0 && (from === undefined || compareVersions(version, from) > 0);
    })
    .map((s) => s.trimEnd());
}

export function planUpgrade(input: UpgradeInput): UpgradePlan {
  const from = setUpWith(input);
  const files: FileChange[] = [];
  const pipeline = input.existing(PIPELINE_FILE);
  if (pipeline?.startsWith(OWNED_MARK)) {
    const want = pipelineYaml(input.version);
    files.push({
      path: PIPELINE_FILE,
      action: pipeline === want ? "unchanged" : "update",
      text: want,
      why: `written by init, now for ${input.version}`,
    });
  }
  const dagger = input.existing("dagger.json");
  if (dagger !== undefined) {
    const parsed = parseJsonText(dagger, "dagger.json") as { toolchains?: { source?: unknown }[] };
    const ours = (parsed.toolchains ?? []).find(
      (t) => typeof t.source === "string" && t.source.startsWith(`${input.moduleRef}@`),
    );
    if (ours && typeof ours.source === "string") {
      // The reference is replaced where it stands, so the file's own layout and keys stay.
      const want = `${input.moduleRef}@v${input.version}`;
      const text = dagger.replace(JSON.stringify(ours.source), JSON.stringify(want));
      files.push({
        path: "dagger.json",
        action: text === dagger ? "unchanged" : "update",
        text,
        why: `the toolchain at ${want}`,
      });
    }
  }
  return { from, files, entries: changelogBetween(input.changelog, from, input.version) };
}
