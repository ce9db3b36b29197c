import { catalog } from "../catalog/catalog.ts";
import { isGeneratedWorkflow, renderWorkflows } from "../github/workflows.ts";
import { OverlaySource } from "../source/overlay.ts";
import type { SourceView } from "../source/view.ts";
import type { FileChange } from "./plan.ts";

/**
 * The generated workflows for the repository as it will be once `planned` is written (init and
 * upgrade render from the dagger.json and config they are about to write): each as a change to
 * what is there, and the paths that hold a workflow of the team's own, which are never ours to
 * write.
 */
export async function workflowChanges(
  view: SourceView,
  planned: ReadonlyMap<string, string>,
  existing: (path: string) => string | undefined,
): Promise<{ ours: (FileChange & { existed: boolean })[]; theirs: string[] }> {
  const ours: (FileChange & { existed: boolean })[] = [];
  const theirs: string[] = [];
  for (const [path, text] of await renderWorkflows(new OverlaySource(view, planned), catalog)) {
    const before = existing(path);
    if (before !== undefined && before !== text && !isGeneratedWorkflow(before)) {
      theirs.push(path);
      continue;
    }
    ours.push({
      path,
      action: before === undefined ? "create" : before === text ? "unchanged" : "update",
      text,
      why: "GitHub Actions, generated from the catalog and your config",
      existed: before !== undefined,
    });
  }
  return { ours, theirs };
}
