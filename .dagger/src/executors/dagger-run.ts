import { dag, type Directory, type File } from "@dagger.io/dagger";
import { availableParallelism } from "node:os";
import { Pool } from "../plan/pool.ts";
import { renderCheck, renderCi } from "../plan/render.ts";
import { runCheck, runCi } from "../run/check.ts";
import { GENERATED_FILES, regenerate } from "../docs/generated.ts";
import { reviewDiff } from "../review/review.ts";
import { DaggerSource } from "../source/dagger.ts";
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

/** The review's Markdown; code-review.sh posts it and fails the soft-failing step on the marker. */
export async function daggerReview(source: Directory, diff: File): Promise<string> {
  const review = await reviewDiff(await diff.contents(), new DaggerExecutor(source, "unknown"));
  return review.markdown;
}

/** Only the regenerated files, so `export --path=.` overwrites exactly those. */
export async function daggerUpdateReadmes(source: Directory): Promise<Directory> {
  const view = new DaggerSource(source);
  let out = dag.directory();
  for (const file of GENERATED_FILES) {
    const text = await view.readText(file);
    if (text !== undefined) out = out.withNewFile(file, regenerate(file, text));
  }
  return out;
}
