import { COVERAGE_ARGS, COVERAGE_DIR } from "../test-coverage/coverage.ts";
import type { ExecTask, Task } from "../plan/task.ts";
import { packageLabel, type WorkspacePackage } from "../workspace/discover.ts";
import { exemptionFor } from "./compliance.ts";
import type { CheckContext } from "./context.ts";

/** Where package builds write, by convention; the same directories the source listing leaves out. */
export const BUILD_OUTPUTS = ["dist", "build"];

/**
 * One package script as a task: `bun run <script>` in the package directory. A missing script
 * fails with the manifest named; a script exempted as a stub is skipped with its reason.
 */
export function scriptTask(
  ctx: CheckContext,
  pkg: WorkspacePackage,
  script: string,
  extra: Partial<Pick<ExecTask, "id" | "needs" | "package" | "column">> = {},
): Task {
  const base = { id: script, label: `${packageLabel(pkg)} ${script}`, package: packageLabel(pkg), ...extra };
  const exemption = exemptionFor(ctx.config.exemptions, pkg, script);
  if (exemption) return { ...base, kind: "skip", reason: `exempt: ${exemption.reason}` };
  if (pkg.manifest.scripts?.[script] === undefined) {
    return {
      ...base,
      kind: "inline",
      run: async () => ({ findings: [{ where: pkg.manifestPath, message: `has no "${script}" script` }] }),
    };
  }
  // A `bun test` script reports coverage, judged by coverage.minimum; others run as written.
  const covered = script === "test" && /^bun test(\s|$)/.test(pkg.manifest.scripts[script] ?? "");
  return {
    ...base,
    kind: "exec",
    cwd: pkg.dir,
    image: "bun",
    argv: ["bun", "run", script, ...(covered ? COVERAGE_ARGS : [])],
    // What a build leaves for later tasks (the smoke test starts dist/): kept by the host cache.
    ...(script === "build" && { outputs: BUILD_OUTPUTS }),
    ...(covered && { outputs: [COVERAGE_DIR], coverage: true }),
  };
}
