/**
 * Read-only access to the monorepo being checked. Planners and inline checks see only this,
 * so the same code runs over a host directory and over a Dagger `Directory`.
 */
export interface SourceView {
  /** Names the source in messages: a host path, or "the source directory". */
  readonly name: string;
  /** Every file as a sorted POSIX path relative to the root; directories are not listed. */
  listFiles(): Promise<string[]>;
  /** The file's text, or undefined when the file does not exist. */
  readText(path: string): Promise<string | undefined>;
}

/** Directories that are never source: dependencies, VCS data, build output, local run logs. */
export const IGNORED_DIRS = ["node_modules", ".git", "dist", "build", "coverage", ".turbo"];

/** The same exclusions as globs, for Dagger's `@argument({ ignore })` and Directory filters. */
export const IGNORE_GLOBS = [...IGNORED_DIRS.map((d) => `**/${d}`), ".buildkite/.local", ".buildkite/.build"];
