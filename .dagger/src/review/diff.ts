/** One file of a unified diff: its new path and the lines the change adds. */
export type FileDiff = { path: string; deleted: boolean; added: { line: number; text: string }[] };

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 };

/**
 * A path as git prints it: plain, or in double quotes with C escapes (octal bytes of UTF-8),
 * which git uses for non-ASCII names unless core.quotePath is off.
 */
export function unquotePath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      const next = body[i + 1] ?? "";
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

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
      const target = unquotePath(raw.slice(4).replace(/\t.*$/, ""));
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
