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
  /**
   * When it cannot be known which files git tracks (no repository, no readable index), the
   * files `.gitignore` hid from the listing, and why: the secret and key-file checks scan them
   * anyway, failing closed, since a tracked file is never hidden by `.gitignore`. Undefined
   * when git's index says what is tracked (tracked files are then listed, ignored or not).
   */
  hiddenUntracked(): Promise<{ files: string[]; why: string } | undefined>;
}

/**
 * What is never source: dependencies, VCS data, build output, local run logs. A literal array,
 * because the SDK's introspector reads it from the source text for every `@argument({ ignore })`.
 * Git's index is the exception (`!.git/index`): it says which files are tracked, which the
 * engine's upload, unlike git, does not know.
 */
export const SOURCE_IGNORE = [
  "**/node_modules",
  "**/.git",
  "!.git/index",
  "**/dist",
  "**/build",
  "**/coverage",
  "**/.turbo",
  ".buildkite/.local",
  ".buildkite/.build",
];

/** Where git's index is, in a source at a repository's root. */
export const GIT_INDEX = ".git/index";

/** The directory names ignored at any depth, for walking a host tree. */
export const IGNORED_DIRS = SOURCE_IGNORE.filter((g) => g.startsWith("**/")).map((g) => g.slice(3));
