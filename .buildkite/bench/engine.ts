#!/usr/bin/env bun
// bun run bench:engine — how many engine requests each check makes, counted by the engine
// stand-in, on the demo monorepo and on the demo plus 2,000 and 20,000 generated files, in one
// run. The target: the same count at all three sizes, within 5. A benchmark: it asserts nothing.
import { rmSync } from "node:fs";
import { CHECK_FUNCTIONS, invoke } from "../../test/support/engine/invoke.ts";
import { addGeneratedFiles } from "../../test/support/engine/generated.ts";
import { copyExample } from "../../test/support/helpers.ts";
import { table } from "../../.dagger/src/plan/render.ts";

const SIZES = [0, 2_000, 20_000];
const FUNCTIONS = [...CHECK_FUNCTIONS, "ci"];

const counts = new Map<string, number[]>(FUNCTIONS.map((fn) => [fn, []]));
for (const extra of SIZES) {
  const root = copyExample();
  try {
    addGeneratedFiles(root, extra);
    for (const fn of FUNCTIONS) {
      const r = await invoke({ fn, sourceDir: root });
      if (r.recording.returned?.kind !== "value") {
        throw new Error(
          `${fn} with ${extra} extra files did not pass: ${JSON.stringify(r.recording.returned)}`,
        );
      }
      counts.get(fn)?.push(r.recording.requests);
      process.stderr.write(`${fn} +${extra} files: ${r.recording.requests} requests\n`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const header = [
  "function",
  ...SIZES.map((n) => (n ? `demo + ${n.toLocaleString("en")} files` : "demo")),
  "spread",
];
const rows = FUNCTIONS.map((fn) => {
  const c = counts.get(fn) ?? [];
  return [fn, ...c.map(String), String(Math.max(...c) - Math.min(...c))];
});
const worst = Math.max(
  ...FUNCTIONS.map((fn) => Math.max(...(counts.get(fn) ?? [])) - Math.min(...(counts.get(fn) ?? []))),
);
process.stdout.write(
  `engine requests per function call (stand-in engine)\n\n${table([header, ...rows])}\n\n`,
);
process.stdout.write(`largest spread: ${worst} (target: at most 5) — ${worst <= 5 ? "met" : "NOT met"}\n`);
