import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
} from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { isIgnored, type IgnoreRules, readIgnoreRules } from "./gitignore.ts";
import { trackedFiles, type Tracked } from "./git-index.ts";
import { IGNORED_DIRS, SOURCE_IGNORE, type SourceView } from "./view.ts";

const READ_ERRORS: Record<string, string> = {
  EISDIR: "it is a directory",
  ELOOP: "it is a symlink loop",
  EACCES: "permission denied",
  ENOTDIR: "a part of its path is not a directory",
};

/** SOURCE_IGNORE's root-relative entries (the `**` ones are IGNORED_DIRS, matched at any depth). */
const IGNORED_PATHS = SOURCE_IGNORE.filter((g) => !g.startsWith("**/") && !g.startsWith("!"));

/**
 * A directory on this machine, listed the same way wherever it is: a walk that skips
 * SOURCE_IGNORE, and lists what git would call the repository's files: every tracked file, and
 * every untracked one that no `.gitignore` on the way matches. Which files are tracked comes from
 * git's index (git-index.ts), read without git, so the engine, running this same code over the
 * mounted source with its uploaded `.git/index`, sees the same file set. Without an index, the
 * files `.gitignore` hides are kept aside for the checks that must fail closed (hiddenUntracked).
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
    this.files ??= Promise.resolve().then(() => {
      this.tracked = trackedFiles(this.root);
      if (this.tracked.known) {
        for (const f of this.tracked.files) {
          for (let i = f.indexOf("/"); i > 0; i = f.indexOf("/", i + 1)) this.trackedDirs.add(f.slice(0, i));
        }
      }
      return this.walk("", [], false).sort();
    });
    return this.files;
  }

  async hiddenUntracked(): Promise<{ files: string[]; why: string } | undefined> {
    await this.listFiles();
    const tracked = this.tracked as Tracked;
    return tracked.known ? undefined : { files: this.hidden.sort(), why: tracked.why };
  }

  /** A path that exists but cannot be read as a file (a directory, a symlink loop) is bad input. */
  async readText(path: string): Promise<string | undefined> {
    try {
      return readFileSync(join(this.root, path), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      const why = READ_ERRORS[code ?? ""];
      if (why) throw new InputError(`${path}: cannot be read: ${why} (${code})`, { cause: error });
      throw error;
    }
  }

  /**
   * The file as text, piece by piece. A byte-order mark says how: UTF-16 (either order) is
   * decoded as such, so what it holds is read, not its every other byte; anything else is UTF-8.
   */
  async *chunks(path: string, size: number): AsyncIterable<string> {
    const fd = openSync(join(this.root, path), "r");
    try {
      const buffer = Buffer.alloc(size + (size % 2));
      let n = readSync(fd, buffer);
      const bom = n >= 2 ? buffer.readUInt16BE(0) : 0;
      const decoder = new TextDecoder(bom === 0xfffe ? "utf-16le" : bom === 0xfeff ? "utf-16be" : "utf-8");
      for (; n > 0; n = readSync(fd, buffer)) {
        yield decoder.decode(buffer.subarray(0, n), { stream: true });
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      closeSync(fd);
    }
  }

  /** What the listing left out and why: submodules, symlinks it does not follow. */
  async skipped(): Promise<string[]> {
    await this.listFiles();
    return this.notes;
  }

  private readonly notes: string[] = [];
  private realRoot?: string;

  /**
   * A symlink counts as the file it points to only when that is a regular file inside the
   * tree. Anything else (a directory, a device such as /dev/zero, a path outside, a dangling
   * link) is left out with a note: following it could loop, escape or never end.
   */
  private linkTarget(rel: string): "file" | string {
    let real: string;
    try {
      real = realpathSync(join(this.root, rel));
    } catch {
      return "a dangling symlink";
    }
    this.realRoot ??= realpathSync(this.root);
    if (!real.startsWith(`${this.realRoot}/`)) return "a symlink out of the source";
    const stat = statSync(real);
    if (stat.isFile()) return "file";
    return stat.isDirectory()
      ? "a symlink to a directory (not followed)"
      : "a symlink to a device or special file";
  }

  private tracked?: Tracked;
  private readonly trackedDirs = new Set<string>();
  /** Untracked files `.gitignore` hides, kept only while tracking is unknown. */
  private readonly hidden: string[] = [];

  private isTracked(rel: string, isDir: boolean): boolean {
    if (!this.tracked?.known) return false;
    return isDir ? this.trackedDirs.has(rel) : this.tracked.files.has(rel);
  }

  /** `hiding`: below a directory `.gitignore` matches, where only tracked files are source. */
  private walk(dir: string, inherited: IgnoreRules[], hiding: boolean): string[] {
    const here = readIgnoreRules(this.root, dir);
    const rules = here ? [...inherited, here] : inherited;
    const out: string[] = [];
    for (const entry of readdirSync(join(this.root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.includes(entry.name) || IGNORED_PATHS.includes(rel)) continue;
        // A directory with its own .git is a submodule or a nested repository: not this source.
        if (existsSync(join(this.root, rel, ".git"))) {
          this.notes.push(`${rel} left out: a git submodule or nested repository`);
          continue;
        }
        const ignored = hiding || isIgnored(rules, rel, true);
        // Into an ignored directory only for its tracked files, or, with tracking unknown, to
        // keep what it hides for the checks that fail closed.
        if (ignored && this.tracked?.known && !this.isTracked(rel, true)) continue;
        out.push(...this.walk(rel, rules, ignored));
      } else if ((hiding || isIgnored(rules, rel, false)) && !this.isTracked(rel, false)) {
        if (!this.tracked?.known && (entry.isFile() || entry.isSymbolicLink())) this.hidden.push(rel);
        continue;
      } else if (entry.isFile()) {
        out.push(rel);
      } else if (entry.isSymbolicLink()) {
        const target = this.linkTarget(rel);
        if (target === "file") out.push(rel);
        else this.notes.push(`${rel} left out: ${target}`);
      } else {
        this.notes.push(`${rel} left out: not a regular file`);
      }
    }
    return out;
  }
}
