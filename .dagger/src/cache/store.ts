import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../files/atomic.ts";

/**
 * Passed task results by key: `<key>.json`, and `<key>.out/` for the directories the task wrote
 * (its declared outputs). Reads parse at the edge: a corrupt, truncated or foreign entry, or one
 * whose outputs are not all there, is a miss (and is removed), never a crash and never a pass.
 * Outputs are copied in before the entry is written, so an entry never points at half of them.
 * Reading an entry touches it, and the store is kept under its size cap by removing the least
 * recently used entries first.
 */

const StoredFile = z.object({ path: z.string(), size: z.number().int().nonnegative() }).strict();

export const CacheEntry = z
  .object({
    version: z.literal(1),
    key: z.string(),
    task: z.string(),
    label: z.string(),
    /** How long the task took when it ran: what a hit saves. */
    durationMs: z.number().nonnegative(),
    /** The tail of what it printed, replayed on a hit. */
    output: z.string(),
    createdAt: z.string(),
    /** The output directories it kept, relative to the source root, and every file in them. */
    outputs: z.array(z.string()).default([]),
    files: z.array(StoredFile).default([]),
  })
  .strict();
export type CacheEntry = z.infer<typeof CacheEntry>;

const KEY = /^[0-9a-f]{64}$/;

/** Every regular file under `dir`, relative to `base`, with its size; symlinks are not followed. */
function filesUnder(dir: string, base: string): z.infer<typeof StoredFile>[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return filesUnder(path, base);
    return d.isFile() ? [{ path: relative(base, path), size: lstatSync(path).size }] : [];
  });
}

export class TaskStore {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`cache: not a task key: ${key}`);
    return join(this.dir, `${key}.json`);
  }

  private outDir(key: string): string {
    return join(this.dir, `${key}.out`);
  }

  private drop(key: string): void {
    rmSync(this.path(key), { force: true });
    rmSync(this.outDir(key), { recursive: true, force: true });
  }

  get(key: string): CacheEntry | undefined {
    const path = this.path(key);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
    let entry: CacheEntry | undefined;
    try {
      const parsed = CacheEntry.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.key === key) entry = parsed.data;
    } catch {
      entry = undefined;
    }
    // An entry is only as good as its outputs: every file must be there, at its size.
    const stored = this.outDir(key);
    const complete = (e: CacheEntry) =>
      e.files.every((f) => {
        try {
          return statSync(join(stored, f.path)).size === f.size;
        } catch {
          return false;
        }
      });
    if (!entry || !complete(entry)) {
      this.drop(key);
      return undefined;
    }
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // Evicted by a concurrent run between the read and the touch: the entry was still good.
    }
    return entry;
  }

  /**
   * Stores a pass; `outputs` are directories relative to `root` whose files are kept with it.
   * The outputs are copied to a temp directory and renamed into place before the entry is written.
   */
  put(entry: Omit<CacheEntry, "files">, root: string): void {
    mkdirSync(this.dir, { recursive: true });
    const key = entry.key;
    const tmp = `${this.outDir(key)}.${process.pid}.${Date.now()}.tmp`;
    let files: z.infer<typeof StoredFile>[];
    try {
      for (const out of entry.outputs) {
        const from = join(root, out);
        if (!existsSync(from)) continue;
        cpSync(from, join(tmp, out), { recursive: true, verbatimSymlinks: true });
      }
      files = filesUnder(tmp, tmp);
      rmSync(this.outDir(key), { recursive: true, force: true });
      if (existsSync(tmp)) renameSync(tmp, this.outDir(key));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    writeFileAtomic(this.path(key), JSON.stringify({ ...entry, files }));
    this.evict();
  }

  /** Puts a hit's output directories back under `root`, replacing what is there. */
  restore(entry: CacheEntry, root: string): void {
    for (const out of entry.outputs) {
      const target = join(root, out);
      rmSync(target, { recursive: true, force: true });
      const stored = join(this.outDir(entry.key), out);
      if (existsSync(stored)) cpSync(stored, target, { recursive: true, verbatimSymlinks: true });
    }
  }

  /** Over the cap: the least recently used entries go, outputs and all, until it is at 80 %. */
  evict(): void {
    let entries: { key: string; size: number; used: number }[];
    try {
      entries = readdirSync(this.dir)
        .filter((f) => f.endsWith(".json"))
        .flatMap((f) => {
          const key = f.slice(0, -".json".length);
          if (!KEY.test(key)) return [];
          try {
            const st = statSync(this.path(key));
            const outputs = filesUnder(this.outDir(key), this.outDir(key)).reduce((n, x) => n + x.size, 0);
            return [{ key, size: st.size + outputs, used: st.mtimeMs }];
          } catch {
            return [];
          }
        });
    } catch {
      return;
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    if (total <= this.maxBytes) return;
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes * 0.8) break;
      this.drop(e.key);
      total -= e.size;
    }
  }
}
