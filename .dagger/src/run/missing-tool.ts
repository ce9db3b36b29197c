import type { ExecTask } from "../plan/task.ts";

/**
 * What a task whose program is not there says: what to add, and where. `lookedIn` says where it
 * was looked for (the host's node_modules/.bin directories and PATH, or the engine's image).
 */
export function missingTool(task: ExecTask, lookedIn: string): { detail: string; output: string } {
  const binary = task.argv[0] ?? "";
  const fix = task.provides
    ? `add ${task.provides} to the devDependencies of the root package.json (bun add -d ${task.provides}) and run bun install`
    : `install ${binary}, or make the task's script call a program the repository installs`;
  return {
    detail: `${binary} is not installed: ${fix}`,
    output: `${binary} was looked for in ${lookedIn} and is not there; ${fix}`,
  };
}
