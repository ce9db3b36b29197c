import { COVERAGE_DIR, coveragePlan } from "../test-coverage/coverage.ts";
import { dependencyNames } from "../workspace/manifest.ts";
import type { ExecTask, Task } from "../plan/task.ts";
import { packageLabel, type WorkspacePackage } from "../workspace/discover.ts";
import { exemptionFor, isStubScript } from "./compliance.ts";
import { missingScriptCovered, scriptName, type CheckContext } from "./context.ts";

/**
 * What a script writes when the config declares nothing: a build its `dist`. Only what is
 * declared is the cache's to put back; anything else in a package is the user's.
 */
const DEFAULT_OUTPUTS: Record<string, string[]> = { build: ["dist"] };

/** A script's outputs and extra inputs: the package's settings over the script's, over the default. */
function cacheSettings(ctx: CheckContext, pkg: WorkspacePackage, script: string) {
  const { tasks, packages } = ctx.config.cache;
  const forScript = tasks[script];
  const forPackage = pkg.manifest.name ? packages[pkg.manifest.name]?.[script] : undefined;
  return {
    outputs: forPackage?.outputs ?? forScript?.outputs ?? DEFAULT_OUTPUTS[script] ?? [],
    inputs: [...(forScript?.inputs ?? []), ...(forPackage?.inputs ?? [])],
  };
}

/**
 * One package script as a task: `bun run <script>` in the package directory. A missing script
 * fails with the manifest named, unless the quality check does its work, and so does a stub that
 * is not exempt; an exempt script is skipped with its reason.
 */
export function scriptTask(
  ctx: CheckContext,
  pkg: WorkspacePackage,
  script: string,
  extra: Partial<Pick<ExecTask, "id" | "label" | "needs" | "package" | "column">> = {},
): Task {
  const base = { id: script, label: `${packageLabel(pkg)} ${script}`, package: packageLabel(pkg), ...extra };
  const exemption = exemptionFor(ctx.config.exemptions, pkg, script);
  if (exemption) return { ...base, kind: "skip", reason: `exempt: ${exemption.reason}` };
  const name = scriptName(ctx, script);
  if (pkg.manifest.scripts?.[name] === undefined) {
    const covered = missingScriptCovered(ctx, script);
    if (covered) return { ...base, kind: "skip", reason: covered };
    return {
      ...base,
      kind: "inline",
      run: async () => ({ findings: [{ where: pkg.manifestPath, message: `has no "${name}" script` }] }),
    };
  }
  // A stub (`echo 'No tests yet'`, `true`) does no work, so it never reports as passed.
  const body = pkg.manifest.scripts[name] ?? "";
  if (isStubScript(body)) {
    return {
      ...base,
      kind: "inline",
      run: async () => ({
        findings: [
          {
            where: pkg.manifestPath,
            message: `"${name}" is a no-op stub (${JSON.stringify(body)}): nothing was checked; make it real or exempt it with a reason in monorepo-ci.json`,
          },
        ],
      }),
    };
  }
  // A test script of bun test, Vitest or Jest reports coverage, judged by coverage.minimum; any
  // other is said to be unmeasured. Other scripts run as written.
  const plan =
    script === "test"
      ? coveragePlan(
          body,
          new Set([...dependencyNames(pkg.manifest), ...dependencyNames(ctx.workspace.root)]),
        )
      : undefined;
  const coverageArgs = plan && "args" in plan ? plan.args : undefined;
  const covered = coverageArgs !== undefined;
  const unmeasured = plan && "unmeasured" in plan ? plan.unmeasured : undefined;
  const { outputs, inputs } = cacheSettings(ctx, pkg, script);
  // What a task leaves for later ones (the smoke test starts dist/): kept by the host cache.
  const kept = [...new Set([...outputs, ...(covered ? [COVERAGE_DIR] : [])])];
  return {
    ...base,
    kind: "exec",
    cwd: pkg.dir,
    image: "bun",
    argv: ["bun", "run", name, ...(coverageArgs ?? [])],
    ...(kept.length && { outputs: kept }),
    ...(inputs.length && { inputs }),
    ...(covered && { coverage: true }),
    ...(unmeasured && { coverageUnmeasured: unmeasured }),
  };
}
