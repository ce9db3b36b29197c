#!/usr/bin/env bun
// `bun run dagger:functions`: the module's functions as `dagger functions` lists them, read by the
// SDK's own introspector, with no engine.
import { parseArgs } from "node:util";
import { introspectModule } from "../introspect/module.ts";
import { table } from "../plan/render.ts";
import { asInputError, main } from "./io.ts";

await main(async () => {
  const { values } = asInputError(
    () => parseArgs({ options: { json: { type: "boolean", default: false } } }),
    "usage: bun run dagger:functions [--json]",
  );
  const fns = await introspectModule();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(fns, null, 2)}\n`);
    return 0;
  }
  const rows = fns.map((f) => [f.name, f.isCheck ? "check" : "", f.description.split("\n")[0] ?? ""]);
  process.stdout.write(`${table([["Name", "Check", "Description"], ...rows])}\n`);
  return 0;
});
