import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";

/** A secret found in a text: where (character range, 1-based line) and by which rule. */
export type Detection = { start: number; end: number; line: number; rule: string; message: string };

/**
 * Private keys in PEM form. secretlint's preset misses short ones (an ed25519 key in PKCS#8 is
 * three lines), so every BEGIN … PRIVATE KEY block counts, whatever its length.
 */
const PRIVATE_KEY =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

const lineAt = (text: string, index: number) => {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
};

/** secretlint's recommended preset plus our own rules, over one text. Values are never returned. */
export async function detectSecrets(text: string, filePath = "output"): Promise<Detection[]> {
  const result = await lintSource({
    source: { filePath, content: text, contentType: "text" },
    options: {
      config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] },
      maskSecrets: true,
    },
  });
  const found: Detection[] = result.messages.map((m) => ({
    start: m.range[0],
    end: m.range[1],
    line: m.loc.start.line,
    rule: m.ruleId,
    message: m.message,
  }));
  for (const m of text.matchAll(PRIVATE_KEY)) {
    const start = m.index;
    const line = lineAt(text, start);
    if (found.some((f) => f.line === line)) continue;
    found.push({
      start,
      end: start + m[0].length,
      line,
      rule: "monorepo-ci/private-key",
      message: "found a private key",
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * What any tool printed, with every secret the detectors find replaced by asterisks: a parser's
 * code frame or a test's failure message can quote a secret, and reports must not carry it.
 */
export async function maskSecrets(text: string): Promise<string> {
  if (!text) return text;
  // Many tasks print the same short text (`$ tsc -p . --noEmit`); each is scanned once per run.
  // Promises are kept, so results masked all at once share one scan too.
  const known = masked.get(text);
  if (known !== undefined) return known;
  const out = mask(text);
  if (text.length <= MEMO_TEXT && masked.size < MEMO_ENTRIES) masked.set(text, out);
  return out;
}

const MEMO_TEXT = 4096;
const MEMO_ENTRIES = 2000;
const masked = new Map<string, Promise<string>>();

async function mask(text: string): Promise<string> {
  const found = await detectSecrets(text);
  let out = "";
  let at = 0;
  for (const f of found) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + "*".repeat(Math.min(f.end - f.start, 16));
    at = f.end;
  }
  return out + text.slice(at);
}
