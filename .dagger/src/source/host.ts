import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { isIgnored, type IgnoreRules, readIgnoreRules } from "./gitignore.ts";
import { IGNORED_DIRS, SOURCE_IGNORE, type SourceView } from "./view.ts";

/** SOURCE_IGNORE's root-relative entries (the `**` ones are IGNORED_DIRS, matched at any depth). */
const IGNORED_PATHS = SOURCE_IGNORE.filter((g) => !g.startsWith("**/"));

/**
 * A directory on this machine, listed the same way wherever it is: a walk that skips
 * SOURCE_IGNORE and every path a `.gitignore` on the way matches. The engine runs this same code
 * over the mounted source, which has no `.git`, so both executors see one file set; asking git
 * instead would make a local, ignored `.env` invisible on the host and a finding in Dagger.
 */
export class HostSource implements SourceView {
  readonly root: string;
  private files?: Promise<string[]>;

  constructor(root: string) {
    this.root = resolve(root);
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) {
      throw new InputError(`--source ${root}: not a directory`);
    }
  }

  get name(): string {
    return this.root;
  }

  listFiles(): Promise<string[]> {
    this.files ??= Promise.resolve(this.walk("", [])).then((files) => files.sort());
    return this.files;
  }

  async readText(path: string): Promise<string | undefined> {
    try {
      return readFileSync(join(this.root, path), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async *chunks(path: string, size: number): AsyncIterable<string> {
    const fd = openSync(join(this.root, path), "r");
    try {
      const buffer = Buffer.alloc(size);
      const decoder = new TextDecoder();
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
        yield decoder.decode(buffer.subarray(0, n), { stream: true });
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      closeSync(fd);
    }
  }

  private walk(dir: string, inherited: IgnoreRules[]): string[] {
    const here = readIgnoreRules(this.root, dir);
    const rules = here ? [...inherited, here] : inherited;
    const out: string[] = [];
    for (const entry of readdirSync(join(this.root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.includes(entry.name) || IGNORED_PATHS.includes(rel)) continue;
        if (!isIgnored(rules, rel, true)) out.push(...this.walk(rel, rules));
      } else if (entry.isFile() && !isIgnored(rules, rel, false)) {
        out.push(rel);
      }
    }
    return out;
  }
}
