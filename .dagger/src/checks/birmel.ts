import type { CheckPlan, Task } from "../plan/task.ts";
import { installRootOf, packageAt, type CheckContext } from "./context.ts";
import { scriptTask } from "./scripts.ts";
import { notConfigured } from "../config/schema.ts";
import { InputError } from "../errors.ts";

/**
 * generate → (typecheck | lint | test | build) → smoke. Build waits only for generate, so a lint
 * failure does not hide a service that crashes at start.
 */
export async function planBirmel(ctx: CheckContext): Promise<CheckPlan> {
  if (!ctx.config.birmel) throw new InputError(notConfigured("birmel"));
  const { workspace: dir, healthPath, port, startTimeoutSeconds } = ctx.config.birmel;
  const pkg = packageAt(ctx, "birmel.workspace", dir);
  const hasGenerate = pkg.manifest.scripts?.generate !== undefined;
  const afterGenerate = hasGenerate ? ["generate"] : [];
  const tasks: Task[] = [
    ...(hasGenerate ? [scriptTask(ctx, pkg, "generate")] : []),
    scriptTask(ctx, pkg, "typecheck", { needs: afterGenerate }),
    scriptTask(ctx, pkg, "lint", { needs: afterGenerate }),
    scriptTask(ctx, pkg, "test", { needs: afterGenerate }),
    scriptTask(ctx, pkg, "build", { needs: afterGenerate }),
    pkg.manifest.scripts?.start === undefined
      ? {
          kind: "inline",
          id: "smoke",
          label: "smoke test",
          needs: ["build"],
          run: async () => ({
            findings: [{ where: pkg.manifestPath, message: `has no "start" script for the smoke test` }],
          }),
        }
      : {
          kind: "smoke",
          id: "smoke",
          label: `smoke test GET ${healthPath}`,
          needs: ["build"],
          cwd: pkg.dir,
          start: ["bun", "run", "start"],
          port,
          healthPath,
          timeoutSeconds: startTimeoutSeconds,
        },
  ];
  return { key: "birmel", tasks, installRoots: [await installRootOf(ctx, pkg.dir)] };
}
