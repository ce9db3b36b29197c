#!/usr/bin/env bun
// `bun run dagger:functions`: the module's functions as `dagger functions` lists them, read by the
// SDK's own introspector, with no engine.
import { introspectModule } from "../src/introspect/module.ts";
import { table } from "../src/plan/render.ts";
import { parseCli, main } from "./io.ts";

await main(async () => {
  const { values } = parseCli("usage: bun run dagger:functions [--json]", {
    json: { type: "boolean", default: false },
  });
  const fns = await introspectModule();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(fns, null, 2)}\n`);
    return 0;
  }
  const rows = fns.map((f) => [f.name, f.isCheck ? "check" : "", f.description.split("\n")[0] ?? ""]);
  process.stdout.write(`${table([["Name", "Check", "Description"], ...rows])}\n`);
  return 0;
});
