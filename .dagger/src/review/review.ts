import { catalog } from "../catalog/catalog.ts";
import { classify, decide } from "../changes/rules.ts";
import { DIRECTIVE, kindOf } from "../checks/quality/suppressions.ts";
import { tail } from "../plan/result.ts";
import type { CheckPlan, ExecTask } from "../plan/task.ts";
import type { Executor } from "../run/executor.ts";
import { parseUnifiedDiff } from "./diff.ts";

const LINTABLE = /\.(?:[cm]?[jt]sx?)$/;

/** The marker code-review.sh looks for to fail the (soft-failing) step. */
export const CHANGES_REQUESTED = "<!-- monorepo-ci: changes requested -->";

export type Review = { markdown: string; changesRequested: boolean };

/**
 * Reviews a PR diff: ESLint on the changed files that still exist, suppression directives the
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

  let lint = "No changed JavaScript or TypeScript files to lint.";
  let lintFailed = false;
  if (lintable.length) {
    const task: ExecTask = {
      kind: "exec",
      id: "eslint-changed",
      label: "eslint (changed files)",
      cwd: ".",
      image: "bun",
      argv: ["eslint", "--max-warnings=0", "--no-warn-ignored", "--", ...lintable],
    };
    const plan: CheckPlan = { key: "code-review", tasks: [task], installRoots: ["."] };
    const result = await executor.runTask(task, plan);
    lintFailed = result.status !== "passed";
    lint = lintFailed
      ? `ESLint found problems in the changed files:\n\n\`\`\`\n${tail(result.output, 80)}\n\`\`\``
      : `ESLint is clean on ${lintable.length} changed file${lintable.length === 1 ? "" : "s"}.`;
  }

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
