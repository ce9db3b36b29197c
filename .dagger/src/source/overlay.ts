import type { SourceView } from "./view.ts";

/**
 * A source as it will be once some files are written: those files' new text over the view's.
 * What `init` renders from (the workflows read the dagger.json and config it is about to write),
 * so it can refuse or show everything before it writes anything.
 */
export class OverlaySource implements SourceView {
  constructor(
    private readonly base: SourceView,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  get name(): string {
    return this.base.name;
  }

  async listFiles(): Promise<string[]> {
    return [...new Set([...(await this.base.listFiles()), ...this.files.keys()])].sort();
  }

  async readText(path: string): Promise<string | undefined> {
    return this.files.get(path) ?? (await this.base.readText(path));
  }

  skipped(): Promise<string[]> {
    return this.base.skipped();
  }

  async *chunks(path: string, size: number): AsyncIterable<string> {
    const text = this.files.get(path);
    if (text === undefined) {
      yield* this.base.chunks(path, size);
      return;
    }
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }

  hiddenUntracked(): Promise<{ files: string[]; why: string } | undefined> {
    return this.base.hiddenUntracked();
  }
}
