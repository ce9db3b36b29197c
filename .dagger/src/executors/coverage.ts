import { dag, type Directory } from "@dagger.io/dagger";
import { availableParallelism } from "node:os";
import { isConfigured } from "../config/schema.ts";
import { Pool } from "../plan/pool.ts";
import { failureTails } from "../plan/render.ts";
import { runGraph, withNeeds } from "../plan/schedule.ts";
import type { ExecTask } from "../plan/task.ts";
import { mergeLcov } from "../test-coverage/coverage.ts";
import { DaggerExecutor, lcovOf } from "./dagger.ts";

/** The checks whose plans hold package test tasks. */
const WITH_TESTS = ["mobile", "birmel", "packages"];

/**
 * Every package's test coverage as one lcov file: the test tasks of the configured checks run in
 * the engine exactly as the checks run them (with coverage), each package's `coverage/lcov.info`
 * is read from its container, and the reports are merged with paths from the source root.
 */
export async function daggerCoverage(source: Directory): Promise<Directory> {
  const executor = new DaggerExecutor(source, "unknown");
  const config = await executor.config();
  const reports: { dir: string; lcov: string }[] = [];
  const missing: string[] = [];
  for (const key of WITH_TESTS.filter((k) => isConfigured(config, k))) {
    const plan = await executor.plan(key);
    const covered = plan.tasks.filter((t): t is ExecTask => t.kind === "exec" && t.coverage === true);
    if (!covered.length) continue;
    const tasks = withNeeds(plan.tasks, covered);
    const results = await runGraph(tasks, (t) => executor.runTask(t, plan), new Pool(availableParallelism()));
    const failed = results.filter((r) => r.status === "failed");
    if (failed.length) throw new Error(`coverage: ${key}'s tests failed\n\n${failureTails(failed)}`);
    for (const task of covered) {
      const ran = executor.containerAfter(task.id);
      const lcov = ran && (await lcovOf(ran));
      if (lcov !== undefined && lcov !== "") reports.push({ dir: task.cwd, lcov });
      else missing.push(task.package ?? task.cwd);
    }
  }
  if (!reports.length) throw new Error("coverage: no package wrote coverage (no `bun test` test script ran)");
  let out = dag.directory().withNewFile("lcov.info", mergeLcov(reports));
  // Said, not hidden: a package whose tests wrote no lcov is named next to the merged report.
  if (missing.length) out = out.withNewFile("MISSING.txt", `${missing.join("\n")}\n`);
  return out;
}
