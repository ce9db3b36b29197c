import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import type { InlineOutcome } from "../../plan/task.ts";
import type { SourceView } from "../../source/view.ts";

/** Lockfiles hold integrity hashes that look like keys to any entropy rule. */
const SKIPPED = /(?:^|\/)(?:bun\.lockb?|package-lock\.json|yarn\.lock|pnpm-lock\.yaml)$/;
const MAX_BYTES = 1024 * 1024;

/** secretlint's recommended preset over every source file, in-process on both executors. */
export async function scanSecrets(view: SourceView): Promise<InlineOutcome> {
  const findings = [];
  for (const file of await view.listFiles()) {
    if (SKIPPED.test(file)) continue;
    const content = await view.readText(file);
    if (content === undefined || content.length > MAX_BYTES || content.includes("\0")) continue;
    const result = await lintSource({
      source: { filePath: file, content, contentType: "text" },
      options: {
        config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] },
        // The finding names the file and line; the value itself is never printed.
        maskSecrets: true,
      },
    });
    for (const m of result.messages) {
      findings.push({ where: `${file}:${m.loc.start.line}`, message: `${m.message} [${m.ruleId}]` });
    }
  }
  return { findings };
}
