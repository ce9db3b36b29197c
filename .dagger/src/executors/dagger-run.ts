import type { Directory } from "@dagger.io/dagger";
import { availableParallelism } from "node:os";
import { Pool } from "../plan/pool.ts";
import { renderCheck, renderCi } from "../plan/render.ts";
import { runCheck, runCi } from "../run/check.ts";
import { DaggerExecutor } from "./dagger.ts";

/**
 * A failed check throws with the full report (every failing task, its exit code and output
 * tail), so the engine marks the function failed and the message says why.
 */
export async function daggerCheck(key: string, source: Directory, gitSha = "unknown"): Promise<string> {
  const report = await runCheck(key, new DaggerExecutor(source, gitSha), new Pool(availableParallelism()));
  const text = renderCheck(report);
  if (report.status === "failed") throw new Error(text);
  return text;
}

export async function daggerCi(source: Directory, gitSha: string): Promise<string> {
  const report = await runCi(new DaggerExecutor(source, gitSha), new Pool(availableParallelism()));
  const text = renderCi(report);
  if (report.status === "failed") throw new Error(text);
  return text;
}
