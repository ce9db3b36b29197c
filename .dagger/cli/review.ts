#!/usr/bin/env bun
// `bun run review --diff FILE`: the code review on the host; exit 1 when it requests changes.
import { readFileSync } from "node:fs";
import { InputError } from "../src/errors.ts";
import { HostExecutor } from "../src/executors/host.ts";
import { reviewDiff } from "../src/review/review.ts";
import { HostSource } from "../src/source/host.ts";
import { parseCli, main } from "./io.ts";

const USAGE = "usage: bun run review --diff FILE [--source DIR]";

await main(async () => {
  const { values } = parseCli(USAGE, { diff: { type: "string" }, source: { type: "string", default: "." } });
  if (!values.diff) throw new InputError(`--diff is required\n${USAGE}`);
  let diff: string;
  try {
    diff = readFileSync(values.diff, "utf8");
  } catch (cause) {
    throw new InputError(`--diff ${values.diff}: ${(cause as Error).message}`, { cause });
  }
  const review = await reviewDiff(diff, new HostExecutor(new HostSource(values.source)));
  process.stdout.write(review.markdown);
  return review.changesRequested ? 1 : 0;
});
