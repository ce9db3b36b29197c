/** One file of a unified diff: its new path and the lines the change adds. */
export type FileDiff = { path: string; deleted: boolean; added: { line: number; text: string }[] };

/**
 * Reads `git diff` output. Only what the review needs: which files changed and which lines were
 * added (with their new line numbers); renames count under their new path.
 */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  let current: FileDiff | undefined;
  let line = 0;
  for (const raw of text.split("\n")) {
    if (raw.startsWith("diff --git ")) {
      current = undefined;
    } else if (raw.startsWith("--- ")) {
      // The old path: only the new one (next line) matters.
    } else if (raw.startsWith("+++ ")) {
      const target = raw.slice(4).replace(/\t.*$/, "");
      current = {
        path: target === "/dev/null" ? "" : target.replace(/^b\//, ""),
        deleted: target === "/dev/null",
        added: [],
      };
      files.push(current);
    } else if (raw.startsWith("@@")) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      line = m ? Number(m[1]) : line;
    } else if (current && raw.startsWith("+")) {
      current.added.push({ line, text: raw.slice(1) });
      line++;
    } else if (current && !raw.startsWith("-") && !raw.startsWith("\\")) {
      line++;
    }
  }
  // A deletion's path is on its `---` line; a deleted file has nothing to lint, so drop it.
  return files.filter((f) => !f.deleted);
}
