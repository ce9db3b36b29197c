import type { CheckPlan, Task } from "../../plan/task.ts";
import { installRootOf, type CheckContext } from "../context.ts";
import { isWorkflow, lintWorkflows } from "./actionlint.ts";
import { scanSecrets } from "./secrets.ts";
import { checkSuppressions } from "./suppressions.ts";
import { toolTasks } from "./tools.ts";

export async function planQuality(ctx: CheckContext): Promise<CheckPlan> {
  const files = await ctx.view.listFiles();
  const shellScripts = files.filter((f) => f.endsWith(".sh"));
  const workflows = files.filter(isWorkflow);
  const tasks: Task[] = [
    { kind: "inline", id: "suppressions", label: "suppression ratchet", run: () => checkSuppressions(ctx) },
    ...toolTasks(ctx.tools),
    shellScripts.length
      ? {
          kind: "exec",
          id: "shellcheck",
          label: "shellcheck",
          cwd: ".",
          image: "shellcheck",
          argv: ["shellcheck", "--severity=warning", "--", ...shellScripts],
        }
      : { kind: "skip", id: "shellcheck", label: "shellcheck", reason: "no *.sh files" },
    workflows.length
      ? {
          kind: "inline",
          id: "actionlint",
          label: "actionlint",
          run: (view) => lintWorkflows(view, workflows),
        }
      : { kind: "skip", id: "actionlint", label: "actionlint", reason: "no .github/workflows" },
    { kind: "inline", id: "secrets", label: "secretlint", run: () => scanSecrets(ctx) },
    {
      kind: "exec",
      id: "trivy",
      label: "trivy fs",
      cwd: ".",
      image: "trivy",
      skipIfMissing: true,
      argv: [
        "trivy",
        "fs",
        "--scanners",
        "vuln",
        "--severity",
        "HIGH,CRITICAL",
        "--exit-code",
        "1",
        "--skip-dirs",
        "node_modules",
        ".",
      ],
    },
  ];
  return { key: "quality", tasks, installRoots: [await installRootOf(ctx, ".")] };
}
