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
  /** Paths the listing left out on purpose, each with why (a submodule, a symlink out). */
  skipped(): Promise<string[]>;
  /** The file's text in pieces of about `size` characters, so a huge file never sits in memory. */
  chunks(path: string, size: number): AsyncIterable<string>;
}

/**
 * What is never source: dependencies, VCS data, build output, local run logs. A literal array,
 * because the SDK's introspector reads it from the source text for every `@argument({ ignore })`.
 */
export const SOURCE_IGNORE = [
  "**/node_modules",
  "**/.git",
  "**/dist",
  "**/build",
  "**/coverage",
  "**/.turbo",
  ".buildkite/.local",
  ".buildkite/.build",
];

/** The directory names ignored at any depth, for walking a host tree. */
export const IGNORED_DIRS = SOURCE_IGNORE.filter((g) => g.startsWith("**/")).map((g) => g.slice(3));
