/**
 * JUnit XML, as junit-annotate and Buildkite Test Engine read it: suites of test cases, each
 * passed, skipped (with why) or failed (with its message and output). One writer for the checks'
 * reports and the local runner's builds.
 */
export type JunitCase = {
  classname: string;
  name: string;
  seconds: number;
  outcome:
    | { kind: "passed"; note?: string }
    | { kind: "skipped"; message: string }
    | { kind: "failed"; type: string; message: string; text: string };
};
export type JunitSuite = { name: string; cases: JunitCase[] };

/** Tab, newline and carriage return are the only control characters XML 1.0 can hold. */
const allowed = (c: string) => c >= " " || c === "\t" || c === "\n" || c === "\r";

/** XML and HTML escaping; control characters XML cannot hold are dropped. */
export const escapeMarkup = (s: string) =>
  [...s]
    .filter(allowed)
    .join("")
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

const count = (cases: JunitCase[]) => ({
  tests: cases.length,
  failures: cases.filter((c) => c.outcome.kind === "failed").length,
  skipped: cases.filter((c) => c.outcome.kind === "skipped").length,
  time: cases.reduce((t, c) => t + c.seconds, 0).toFixed(3),
});

const attrs = (c: ReturnType<typeof count>) =>
  `tests="${c.tests}" failures="${c.failures}" skipped="${c.skipped}" time="${c.time}"`;

function testcase(c: JunitCase): string {
  const o = c.outcome;
  const inner =
    o.kind === "skipped"
      ? `<skipped message="${escapeMarkup(o.message)}"/>`
      : o.kind === "failed"
        ? `<failure type="${escapeMarkup(o.type)}" message="${escapeMarkup(o.message)}">${escapeMarkup(o.text)}</failure>`
        : o.note
          ? `<system-out>${escapeMarkup(o.note)}</system-out>`
          : "";
  return `    <testcase classname="${escapeMarkup(c.classname)}" name="${escapeMarkup(c.name)}" time="${c.seconds.toFixed(3)}">${inner}</testcase>`;
}

export function junitXml(suites: JunitSuite[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs(count(suites.flatMap((s) => s.cases)))}>`,
    ...suites.flatMap((s) => [
      `  <testsuite name="${escapeMarkup(s.name)}" ${attrs(count(s.cases))}>`,
      ...s.cases.map(testcase),
      "  </testsuite>",
    ]),
    "</testsuites>",
    "",
  ].join("\n");
}
