/**
 * Text as a terminal shows it, with nothing a terminal would act on.
 *
 * Package names, task labels and task output reach our reports and progress lines, and any of
 * them can carry escape sequences: colours, cursor moves, a window title, a hyperlink, a screen
 * clear. They are dropped whole (ECMA-48: CSI, OSC and the other string controls up to their
 * terminator, two-byte escapes, and their 8-bit C1 forms); every other control character is
 * dropped too. Line ends and tabs stay, and CRLF becomes LF.
 *
 * A scanner, not regular expressions: the sequences nest terminators (BEL or ESC \) and the
 * linter refuses control characters in patterns for good reason.
 */

const ESC = 0x1b;
const BEL = 0x07;
const LF = 0x0a;
const TAB = 0x09;
const CR = 0x0d;
/** The 8-bit CSI. */
const C1_CSI = 0x9b;
/** The 8-bit string terminator. */
const C1_ST = 0x9c;

/** After ESC: P (DCS), X (SOS), ] (OSC), ^ (PM), _ (APC) open a string that runs to its terminator. */
const STRING_OPENERS = new Set(["P", "X", "]", "^", "_"].map((c) => c.charCodeAt(0)));
/** Their 8-bit forms. */
const C1_STRING_OPENERS = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);

const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** Index after a CSI's parameters, intermediates and final byte, starting at its first parameter. */
function skipCsi(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x3f) i++;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  const final = text.charCodeAt(i);
  return final >= 0x40 && final <= 0x7e ? i + 1 : i;
}

/** Index after a control string (OSC, DCS, …): its BEL, ESC \ or 8-bit ST, or the end of the text. */
function skipString(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BEL || code === C1_ST) return i + 1;
    if (code === ESC) return text.charCodeAt(i + 1) === 0x5c ? i + 2 : i;
  }
  return text.length;
}

/** Index after the escape sequence that starts at `at` (an ESC or an 8-bit introducer). */
function skipSequence(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === C1_CSI) return skipCsi(text, at + 1);
  if (C1_STRING_OPENERS.has(code)) return skipString(text, at + 1);
  const next = text.charCodeAt(at + 1);
  if (next === 0x5b) return skipCsi(text, at + 2);
  if (STRING_OPENERS.has(next)) return skipString(text, at + 2);
  let i = at + 1;
  // nF escapes: intermediates, then one final byte.
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  const final = text.charCodeAt(i);
  return final >= 0x30 && final <= 0x7e ? i + 1 : i;
}

export function printable(text: string): string {
  let out = "";
  let kept = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (!isControl(code) || code === LF || code === TAB) {
      i++;
      continue;
    }
    out += text.slice(kept, i);
    if (code === CR && text.charCodeAt(i + 1) === LF) i++;
    else if (code === ESC || code === C1_CSI || C1_STRING_OPENERS.has(code)) i = skipSequence(text, i);
    else i++;
    kept = i;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * One `--log-format json` event: a line of JSON with its timestamp first. JSON escapes C0
 * controls itself; DEL and the C1 range (U+009B is a CSI to many terminals) are escaped here, so
 * a log read on a terminal cannot act on a name or a line of output either.
 */
export function jsonEvent(event: Record<string, unknown>): string {
  const json = JSON.stringify({ ts: new Date().toISOString(), ...event });
  return `${json.replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`;
}
