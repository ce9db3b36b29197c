import picomatch from "picomatch";
import type { Finding, InlineOutcome } from "../../plan/task.ts";
import type { CheckContext } from "../context.ts";
import { filesToGuard } from "../compliance.ts";
import { detectSecrets } from "./detect.ts";

/** Large files are scanned in pieces this big, cut at line ends, overlapping by a few lines. */
const CHUNK_CHARS = 512 * 1024;
const OVERLAP_LINES = 30;

/**
 * Every file of the source, whatever its name, size or content: lockfiles, files over a
 * megabyte (in chunks, so memory stays flat), files with NUL bytes. A file that cannot be read
 * is a finding unless `secrets.exempt` in the config names it with a reason; an exempt file is a
 * note, never a silent skip. Findings name file and line; the value is never printed.
 */
export async function scanSecrets({ view, config }: CheckContext): Promise<InlineOutcome> {
  const exempt = config.secrets.exempt.map((e) => ({ ...e, match: picomatch(e.path, { dot: true }) }));
  const findings: Finding[] = [];
  const guarded = await filesToGuard(view);
  const notes: string[] = [...guarded.notes];
  for (const file of guarded.files) {
    const exemption = exempt.find((e) => e.match(file));
    if (exemption) {
      notes.push(`${file} not scanned: ${exemption.reason}`);
      continue;
    }
    try {
      findings.push(...(await scanFile(file, view.chunks(file, CHUNK_CHARS))));
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      findings.push({
        where: file,
        message: `could not be scanned for secrets (${why}); fix it, or exempt it in secrets.exempt with a reason`,
      });
    }
  }
  return { findings, notes };
}

async function scanFile(file: string, chunks: AsyncIterable<string>): Promise<Finding[]> {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  let carry = "";
  let carryLine = 1; // the line number of carry's first line
  const scan = async (text: string, firstLine: number) => {
    for (const d of await detectSecrets(text, file)) {
      const line = firstLine + d.line - 1;
      const key = `${line}:${d.rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ where: `${file}:${line}`, message: `${d.message} [${d.rule}]` });
    }
  };
  for await (const chunk of chunks) {
    const text = carry + chunk;
    const cut = text.lastIndexOf("\n");
    if (cut === -1) {
      carry = text;
      continue;
    }
    const whole = text.slice(0, cut + 1);
    await scan(whole, carryLine);
    // Keep the last lines for the next piece, so a secret across the cut is seen whole.
    const lines = whole.split("\n");
    const kept = lines.slice(-OVERLAP_LINES - 1, -1);
    carryLine += lines.length - 1 - kept.length;
    carry = kept.map((l) => `${l}\n`).join("") + text.slice(cut + 1);
  }
  if (carry) await scan(carry, carryLine);
  return findings;
}
