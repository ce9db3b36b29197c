import type { Directory } from "@dagger.io/dagger";
import type { SourceView } from "./view.ts";

/** A Dagger `Directory`, already filtered by the function argument's ignore patterns. */
export class DaggerSource implements SourceView {
  readonly name = "the source directory";
  private files?: Promise<string[]>;

  constructor(readonly dir: Directory) {}

  listFiles(): Promise<string[]> {
    // glob lists directories too, with a trailing slash; only files are source. Git's index is
    // uploaded to say what is tracked (SOURCE_IGNORE); it is not a file of the source.
    this.files ??= this.dir
      .glob("**/*")
      .then((paths) => paths.filter((p) => !p.endsWith("/") && !p.startsWith(".git/")).sort());
    return this.files;
  }

  /** The engine's listing leaves nothing out beyond the argument's ignore patterns. */
  async skipped(): Promise<string[]> {
    return [];
  }

  /**
   * Nothing is hidden here: the engine's upload honours the ignore list only, not .gitignore.
   * (The checks that depend on what git tracks run over HostSource in the toolbox.)
   */
  async hiddenUntracked(): Promise<undefined> {
    return undefined;
  }

  /** Used only for a few small files in the runtime; the big reads happen in the toolbox. */
  async *chunks(path: string): AsyncIterable<string> {
    const text = await this.readText(path);
    if (text !== undefined) yield text;
  }

  async readText(path: string): Promise<string | undefined> {
    // Asking the listing first keeps "missing" apart from real engine errors, which propagate.
    if (!(await this.listFiles()).includes(path)) return undefined;
    return this.dir.file(path).contents();
  }
}
