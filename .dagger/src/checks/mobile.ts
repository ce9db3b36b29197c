import { posix } from "node:path";
import type { CheckPlan } from "../plan/task.ts";
import { installRootOf, packageAt, type CheckContext } from "./context.ts";
import { scriptTask } from "./scripts.ts";
import { notConfigured } from "../config/schema.ts";
import { InputError } from "../errors.ts";

export async function planMobile(ctx: CheckContext): Promise<CheckPlan> {
  if (!ctx.config.mobile) throw new InputError(notConfigured("mobile"));
  const pkg = packageAt(ctx, "mobile.workspace", ctx.config.mobile.workspace);
  const root = await installRootOf(ctx, pkg.dir);
  return {
    key: "mobile",
    installRoots: [root],
    tasks: [
      scriptTask(ctx, pkg, "typecheck"),
      scriptTask(ctx, pkg, "lint"),
      {
        kind: "exec",
        id: "format",
        label: `${pkg.manifest.name ?? pkg.dir} prettier --check`,
        // From the monorepo root: Prettier reads .prettierignore only from its working directory.
        cwd: root,
        image: "bun",
        argv: ["prettier", "--check", posix.relative(root, pkg.dir) || "."],
      },
      scriptTask(ctx, pkg, "test"),
    ],
  };
}
