import { catalog } from "../catalog/catalog.ts";
import { classify, decide } from "../changes/rules.ts";
import { DIRECTIVE, kindOf } from "../checks/quality/suppressions.ts";
import { tail } from "../plan/result.ts";
import type { CheckPlan } from "../plan/task.ts";
import { loadContext } from "../checks/context.ts";
import { changedFileLintTasks } from "../checks/quality/tools.ts";
import type { Executor } from "../run/executor.ts";
import { parseUnifiedDiff } from "./diff.ts";

const LINTABLE = /\.(?:[cm]?[jt]sx?)$/;

/** The marker code-review.sh looks for to fail the (soft-failing) step. */
export const CHANGES_REQUESTED = "<!-- monorepo-ci: changes requested -->";

export type Review = { markdown: string; changesRequested: boolean };

/**
 * Reviews a PR diff: the repository's linters on the changed files that still exist, suppression directives the
 * diff adds, and the checks its files trigger. The result is Markdown for a Buildkite annotation.
 */
export async function reviewDiff(diffText: string, executor: Executor): Promise<Review> {
  const files = parseUnifiedDiff(diffText);
  const present = new Set(await executor.view.listFiles());
  const lintable = files.map((f) => f.path).filter((p) => LINTABLE.test(p) && present.has(p));

  const suppressions = files.flatMap((f) =>
    f.added.flatMap((a) =>
      [...a.text.matchAll(DIRECTIVE)].map(
        (m) => `\`${f.path}:${a.line}\` adds \`${kindOf(m[1] as string)}\``,
      ),
    ),
  );

  // The repository's own linters, as the quality check chooses them, over the changed files.
  const ctx = await loadContext(executor.view);
  const { linters } = ctx.tools;
  const lines: string[] = [];
  let lintFailed = false;
  if (!lintable.length) lines.push("No changed JavaScript or TypeScript files to lint.");
  else if (!linters.length) lines.push("No linter is configured, so the changed files were not linted.");
  for (const task of lintable.length ? changedFileLintTasks(linters, lintable) : []) {
    const plan: CheckPlan = { key: "code-review", tasks: [task], installRoots: ["."] };
    const result = await executor.runTask(task, plan);
    const failed = result.status !== "passed";
    lintFailed ||= failed;
    const tool = task.argv[0];
    lines.push(
      failed
        ? `${tool} found problems in the changed files:\n\n\`\`\`\n${tail(result.output, 80)}\n\`\`\``
        : `${tool} is clean on ${lintable.length} changed file${lintable.length === 1 ? "" : "s"}.`,
    );
  }
  const lint = lines.join("\n\n");

  const decisions = decide(
    classify(
      files.map((f) => f.path),
      catalog,
    ),
    catalog,
  );
  const triggered = decisions.map(
    (d) => `| \`${d.key}\` | ${d.included ? "runs" : "skipped"} | ${d.reason} |`,
  );

  const changesRequested = lintFailed || suppressions.length > 0;
  const markdown = [
    `### Code review`,
    changesRequested ? CHANGES_REQUESTED : "",
    `#### Lint`,
    lint,
    `#### Suppressions added`,
    suppressions.length ? suppressions.map((s) => `- ${s}`).join("\n") : "None.",
    `#### Checks this diff triggers`,
    ["| check | | why |", "| --- | --- | --- |", ...triggered].join("\n"),
  ]
    .filter(Boolean)
    .join("\n\n");
  return { markdown: `${markdown}\n`, changesRequested };
}
