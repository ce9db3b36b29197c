import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { IGNORED_DIRS, type SourceView } from "./view.ts";

/**
 * A directory on this machine. Inside a git work tree it lists what git would ship (tracked
 * files plus untracked files that are not ignored), so an ignored local `.env` is not a finding;
 * elsewhere it walks the tree, skipping dependency and build directories.
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
    this.files ??= Promise.resolve(this.gitFiles() ?? this.walk("")).then((files) =>
      files.filter((f) => !f.split("/").some((part) => IGNORED_DIRS.includes(part))).sort(),
    );
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

  private gitFiles(): string[] | undefined {
    let inside: string;
    try {
      inside = execFileSync("git", ["-C", this.root, "rev-parse", "--is-inside-work-tree"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      return undefined; // not a git work tree: walking the directory is the right fallback
    }
    if (inside !== "true") return undefined;
    const out = execFileSync(
      "git",
      ["-C", this.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
    );
    // --cached still lists files deleted in the work tree; they are not part of the source.
    return [...new Set(out.split("\0"))].filter((f) => f && existsSync(join(this.root, f)));
  }

  private walk(dir: string): string[] {
    const out: string[] = [];
    for (const entry of readdirSync(join(this.root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.includes(entry.name)) out.push(...this.walk(rel));
      } else if (entry.isFile()) {
        out.push(rel);
      }
    }
    return out;
  }
}
