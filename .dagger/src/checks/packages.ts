import type { CheckPlan } from "../plan/task.ts";
import { packageLabel } from "../workspace/discover.ts";
import { REQUIRED_SCRIPTS } from "./compliance.ts";
import { installRootOf, type CheckContext } from "./context.ts";
import { scriptTask } from "./scripts.ts";

/**
 * Every workspace member except the configured mobile and birmel packages, each script its own
 * task, all in parallel. Without a mobile or birmel key, that package is checked here like any.
 */
export async function planPackages(ctx: CheckContext): Promise<CheckPlan> {
  const own = new Set([ctx.config.mobile?.workspace, ctx.config.birmel?.workspace].filter(Boolean));
  const members = ctx.workspace.members.filter((m) => !own.has(m.dir));
  const tasks = members.flatMap((pkg) =>
    REQUIRED_SCRIPTS.map((script) =>
      scriptTask(ctx, pkg, script, {
        id: `${pkg.dir}:${script}`,
        package: packageLabel(pkg),
        column: script,
      }),
    ),
  );
  const roots = await Promise.all(members.map((m) => installRootOf(ctx, m.dir)));
  return { key: "packages", tasks, installRoots: [...new Set(roots)] };
}
