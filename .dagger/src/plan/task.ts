import type { ImageName } from "../catalog/schema.ts";
import type { SourceView } from "../source/view.ts";

/** A problem a check found, located at a file or package so people can go straight to it. */
export type Finding = { where: string; message: string };

type TaskBase = {
  /** Unique within its plan; `needs` refers to it. */
  id: string;
  label: string;
  /** Tasks that must pass first; if one does not, this task is skipped and says why. */
  needs?: string[];
  /** Row and column for the package × task table (packages check). */
  package?: string;
  column?: string;
};

/** A process. Both executors run exactly this argv in exactly this directory. */
export type ExecTask = TaskBase & {
  kind: "exec";
  /** Relative to the source root. */
  cwd: string;
  argv: string[];
  env?: Record<string, string>;
  /** The pinned image the Dagger executor runs it in; the host uses its own PATH. */
  image: ImageName;
  /** On the host, a missing binary is reported as skipped instead of failing (Trivy). */
  skipIfMissing?: boolean;
  /** The npm package that installs argv[0], for the message when it is missing. */
  provides?: string;
  /**
   * Directories (relative to cwd) the task writes and later tasks use, such as a build's `dist`:
   * the host cache keeps them with a pass and puts them back on a hit.
   */
  outputs?: string[];
  /** Files outside its package and tool configs that the task reads, as globs from the root. */
  inputs?: string[];
  /** A test task that reports coverage: its result is judged by coverage.minimum. */
  coverage?: boolean;
  /** A test task whose coverage cannot be measured, and why: said in its result, failed under a minimum. */
  coverageUnmeasured?: string;
};

/** Logic of ours over the source files; it runs in-process on both executors. */
export type InlineTask = TaskBase & {
  kind: "inline";
  run: (view: SourceView) => Promise<InlineOutcome>;
};
export type InlineOutcome = { findings: Finding[]; notes?: string[] };

/** Start the built service, wait for its health endpoint to answer 2xx, stop it. */
export type SmokeTask = TaskBase & {
  kind: "smoke";
  cwd: string;
  start: string[];
  port: number;
  healthPath: string;
  timeoutSeconds: number;
};

/** Decided at planning time that there is nothing to run (no shell scripts, exempt script). */
export type SkipTask = TaskBase & { kind: "skip"; reason: string };

export type Task = ExecTask | InlineTask | SmokeTask | SkipTask;

export type CheckPlan = {
  key: string;
  tasks: Task[];
  /** Directories with a bun.lock whose dependencies the tasks need installed. */
  installRoots: string[];
};

/**
 * Where a task finds its tools: `node_modules/.bin` of its directory and of every parent up to
 * the root, nearest first, the way `bun run` resolves them.
 */
export function binDirs(cwd: string): string[] {
  const parts = cwd === "." ? [] : cwd.split("/");
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i--) {
    dirs.push([...parts.slice(0, i), "node_modules", ".bin"].join("/"));
  }
  return dirs;
}
