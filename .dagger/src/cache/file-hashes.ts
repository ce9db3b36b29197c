import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../files/atomic.ts";

/**
 * Content hashes of source files, with a per-file (size, mtime, ctime, inode) index kept between
 * runs, as git's index and Turborepo do: a warm run stats each input and hashes only what
 * changed. A file changed in the last two seconds is not trusted to the index (its next change
 * could keep the same timestamps), so it is hashed again next time.
 */

const Entry = z.tuple([z.number(), z.number(), z.number(), z.number(), z.string()]);
const Index = z.object({ version: z.literal(1), files: z.record(z.string(), Entry) });
type Entry = z.infer<typeof Entry>;

/** size, mtime, ctime, inode: what must all be unchanged for a file to be taken as unchanged. */
type Signature = [number, number, number, number];
const same = (a: readonly (number | string)[], b: Signature) =>
  a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/** How recent a change must be not to be trusted to the index. */
const RACY_MS = 2000;

export type HashStats = { statted: number; hashed: number };

/** xxHash64 of the bytes, with the size: fast, and collisions are no practical concern here. */
const contentHash = (bytes: Uint8Array) => `${Bun.hash.xxHash64(bytes).toString(16)}-${bytes.length}`;

export class FileHashes {
  private readonly index: Map<string, Entry>;
  private changed = false;
  /** What this run saw of each file: its stat and hash, reused while the stat is unchanged. */
  private readonly seen = new Map<string, { sig: Signature; hash: string }>();
  readonly stats: HashStats = { statted: 0, hashed: 0 };

  constructor(
    private readonly root: string,
    private readonly indexPath: string,
  ) {
    this.index = new Map(Object.entries(FileHashes.read(indexPath)));
  }

  /** A missing or unreadable index is an empty one: everything is hashed, nothing fails. */
  private static read(path: string): Record<string, Entry> {
    if (!existsSync(path)) return {};
    try {
      const parsed = Index.safeParse(JSON.parse(readFileSync(path, "utf8")));
      return parsed.success ? parsed.data.files : {};
    } catch {
      return {};
    }
  }

  /**
   * The file's content hash; a file that vanished or cannot be read hashes as "missing" or
   * "unreadable". Every call stats the file, so a file a task rewrote during the run (a
   * generator's output) is hashed again, never answered from an earlier look.
   */
  hash(file: string): string {
    const path = join(this.root, file);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch {
      return "missing";
    }
    const sig: Signature = [st.size, st.mtimeMs, st.ctimeMs, st.ino];
    const seen = this.seen.get(file);
    if (!seen) this.stats.statted++;
    if (seen && same(seen.sig, sig)) return seen.hash;
    const known = this.index.get(file);
    let hash: string;
    if (known && same(known, sig)) hash = known[4];
    else {
      try {
        hash = contentHash(readFileSync(path));
        this.stats.hashed++;
      } catch {
        return "unreadable";
      }
      if (Date.now() - st.mtimeMs > RACY_MS) {
        this.index.set(file, [...sig, hash]);
        this.changed = true;
      } else if (known) {
        this.index.delete(file);
        this.changed = true;
      }
    }
    this.seen.set(file, { sig, hash });
    return hash;
  }

  /** Writes the index if it learned anything; atomic, so a concurrent run reads old or new. */
  save(): void {
    if (!this.changed) return;
    mkdirSync(dirname(this.indexPath), { recursive: true });
    writeFileAtomic(this.indexPath, JSON.stringify({ version: 1, files: Object.fromEntries(this.index) }));
    this.changed = false;
  }
}
