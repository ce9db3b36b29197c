import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative } from "node:path";
import { z } from "zod";

/**
 * Passed task results by key: `<key>.json`, and `<key>.out/` for the directories the task wrote
 * (its declared outputs). Reads parse at the edge: a corrupt, truncated or foreign entry, or one
 * whose outputs are not all there, is a miss (and is removed), never a crash and never a pass.
 * Outputs are copied in before the entry is written, so an entry never points at half of them.
 * Reading an entry touches it, and the store is kept under its size cap by removing the least
 * recently used entries first.
 *
 * Entries the remote cache served are kept as one pack per run instead (`packs/<name>.bin`, their
 * files' bytes end to end, then `packs/<name>.json`, the entries that vouch for them): a new
 * machine takes in hundreds of artifacts at once, and a file per entry and per output file cost
 * more than the downloads. A pack is read, touched and evicted as one.
 */

const StoredFile = z
  .object({ path: z.string(), size: z.number().int().nonnegative(), hash: z.string() })
  .strict();
type StoredFile = z.infer<typeof StoredFile>;

const hashOf = (path: string) => Bun.hash.xxHash64(readFileSync(path)).toString(16);

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
    /** A test task's coverage when it ran, judged again on every hit. */
    coverage: z.object({ lines: z.number(), functions: z.number() }).strict().optional(),
    /** The output directories it kept, relative to the source root, and every file in them. */
    outputs: z.array(z.string()).default([]),
    files: z.array(StoredFile).default([]),
  })
  .strict();
export type CacheEntry = z.infer<typeof CacheEntry>;

/** A pack's index: its entries, whose files' bytes lie in the .bin in this order. */
const PackIndex = z.object({ version: z.literal(1), entries: z.array(CacheEntry) }).strict();

/** Where an entry kept in a pack is: the pack, and each file's offset in its .bin. */
type Packed = { entry: CacheEntry; pack: string; offsets: Map<string, number> };

const KEY = /^[0-9a-f]{64}$/;

/** Every regular file under `dir`, relative to `base`; symlinks are not followed. */
function filesUnder(dir: string, base: string): { path: string; size: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return filesUnder(path, base);
    return d.isFile() ? [{ path: relative(base, path), size: lstatSync(path).size }] : [];
  });
}

/** A path an entry may name: relative, normalized, with no `..` segment. */
const safeRelative = (path: string) =>
  path !== "" &&
  !isAbsolute(path) &&
  !path.split(/[\\/]/).some((part) => part === ".." || part === "." || part === "");

/** Is `path` (relative to root) or any directory on the way to it a symlink? */
function throughSymlink(root: string, path: string): boolean {
  let at = root;
  for (const part of path.split("/")) {
    at = join(at, part);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return false;
    if (st.isSymbolicLink()) return true;
  }
  return false;
}

/** Every entry under `dir` that is not a directory (files, symlinks, sockets), relative to `base`. */
function everythingUnder(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? everythingUnder(path, base) : [relative(base, path)];
  });
}

/** Why an entry may not be restored under `root` for a task in `cwd`, or undefined when it may. */
export function restoreRefusal(entry: CacheEntry, root: string, cwd: string): string | undefined {
  const inside = (path: string) => cwd === "." || path === cwd || path.startsWith(`${cwd}/`);
  for (const out of entry.outputs) {
    if (!safeRelative(out) || !inside(out)) return `output ${out} is not inside ${cwd}`;
    if (throughSymlink(root, out)) return `output ${out} goes through a symlink`;
  }
  for (const f of entry.files) {
    const within = entry.outputs.some((out) => f.path.startsWith(`${out}/`));
    if (!safeRelative(f.path) || !within) return `stored file ${f.path} is not inside a declared output`;
  }
  // Only what the cache wrote may be there: a file it does not know, or one that differs from
  // the stored one, is someone's work, so the task runs instead and nothing is touched.
  const stored = new Map(entry.files.map((f) => [f.path, f]));
  for (const out of entry.outputs) {
    for (const path of everythingUnder(join(root, out), root)) {
      const want = stored.get(path);
      const st = lstatSync(join(root, path));
      if (!want || !st.isFile() || st.size !== want.size || hashOf(join(root, path)) !== want.hash) {
        return `${path} is not a file the cache wrote`;
      }
    }
  }
  return undefined;
}

export class TaskStore {
  /** The store's size as of the last scan plus what this run added; scanned on the first put. */
  private size?: number;
  private made = false;
  private added = 0;
  private writes = 0;
  private readonly pending: Promise<void>[] = [];
  /** What the remote served this run, in memory until `flush` writes it as one pack. */
  private readonly admitted = new Map<
    string,
    { entry: CacheEntry; files: ReadonlyMap<string, Uint8Array> }
  >();
  private unpacked: string[] = [];
  /** Entries earlier runs kept in packs, read on the first key that has no file of its own. */
  private packed?: Map<string, Packed>;
  private readonly touchedPacks = new Set<string>();

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

  private get packDir(): string {
    return join(this.dir, "packs");
  }

  get(key: string): CacheEntry | undefined {
    const path = this.path(key);
    const admitted = this.admitted.get(key);
    if (admitted) return admitted.entry;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return this.fromPack(key);
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
  put(entry: Omit<CacheEntry, "files">, root: string): CacheEntry | undefined {
    if (!this.made) mkdirSync(this.dir, { recursive: true });
    this.made = true;
    // Outputs are taken now, as the task left them; the entry is written in the background
    // (`flush` waits for it), so storing a pass does not hold up the tasks that follow.
    const files = entry.outputs.length ? this.keepOutputs(entry.key, entry.outputs, root) : [];
    const json = JSON.stringify({ ...entry, files });
    // An entry larger than the whole store is not kept: storing it would evict every other one.
    if (json.length + files.reduce((n, f) => n + f.size, 0) > this.maxBytes) {
      rmSync(this.outDir(entry.key), { recursive: true, force: true });
      return undefined;
    }
    const path = this.path(entry.key);
    const tmp = `${path}.${process.pid}.${++this.writes}.tmp`;
    this.pending.push(
      writeFile(tmp, json)
        .then(() => rename(tmp, path))
        .catch((error: unknown) => rm(tmp, { force: true }).then(() => Promise.reject(error))),
    );
    this.added += json.length + files.reduce((n, f) => n + f.size, 0);
    return { ...entry, files };
  }

  /** A stored file's bytes, wherever the entry is kept: what a restore writes and an upload carries. */
  storedFile(key: string, path: string): Uint8Array {
    const admitted = this.admitted.get(key)?.files.get(path);
    if (admitted) return admitted;
    const packed = this.packed?.get(key);
    if (!packed || existsSync(this.path(key))) return readFileSync(join(this.outDir(key), path));
    const size = packed.entry.files.find((f) => f.path === path)?.size ?? 0;
    const bytes = new Uint8Array(size);
    const fd = openSync(join(this.packDir, `${packed.pack}.bin`), "r");
    try {
      if (readSync(fd, bytes, 0, size, packed.offsets.get(path) ?? 0) !== size) {
        throw new Error(`cache: pack ${packed.pack} is shorter than its index says`);
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  /** An entry from a pack, touching the pack (once a run) as reading an entry touches it. */
  private fromPack(key: string): CacheEntry | undefined {
    this.packed ??= this.readPacks();
    const found = this.packed.get(key);
    if (!found) return undefined;
    if (!this.touchedPacks.has(found.pack)) {
      this.touchedPacks.add(found.pack);
      const now = new Date();
      try {
        utimesSync(join(this.packDir, `${found.pack}.json`), now, now);
      } catch {
        // Evicted by a concurrent run since it was read: what was read is still whole.
      }
    }
    return found.entry;
  }

  /**
   * Every pack's entries, newer packs over older ones. A pack whose index does not parse, or
   * whose .bin is not exactly as long as its entries' files, is removed: a miss, never a restore
   * of bytes nothing vouches for.
   */
  private readPacks(): Map<string, Packed> {
    const found = new Map<string, Packed>();
    let names: string[];
    try {
      names = readdirSync(this.packDir).filter((f) => f.endsWith(".json"));
    } catch {
      return found;
    }
    for (const pack of names.map((f) => f.slice(0, -".json".length)).sort()) {
      const index = join(this.packDir, `${pack}.json`);
      const bin = join(this.packDir, `${pack}.bin`);
      let parsed: z.infer<typeof PackIndex> | undefined;
      try {
        const result = PackIndex.safeParse(JSON.parse(readFileSync(index, "utf8")));
        if (result.success) parsed = result.data;
      } catch {
        parsed = undefined;
      }
      const total = parsed?.entries.reduce((n, e) => n + e.files.reduce((m, f) => m + f.size, 0), 0);
      if (!parsed || statSync(bin, { throwIfNoEntry: false })?.size !== total) {
        rmSync(index, { force: true });
        rmSync(bin, { force: true });
        continue;
      }
      let offset = 0;
      for (const entry of parsed.entries) {
        const offsets = new Map<string, number>();
        for (const f of entry.files) {
          offsets.set(f.path, offset);
          offset += f.size;
        }
        found.set(entry.key, { entry, pack, offsets });
      }
    }
    return found;
  }

  /** This run's admitted entries as one pack: the bytes first, then the index that vouches for them. */
  private writePack(): void {
    const entries = this.unpacked.flatMap((key) => {
      const admitted = this.admitted.get(key);
      return admitted ? [admitted] : [];
    });
    this.unpacked = [];
    if (!entries.length) return;
    mkdirSync(this.packDir, { recursive: true });
    const name = `${Date.now()}-${process.pid}-${++this.writes}`;
    const chunks = entries.flatMap(({ entry, files }) =>
      entry.files.map((f) => files.get(f.path) as Uint8Array),
    );
    const index = JSON.stringify({ version: 1, entries: entries.map((e) => e.entry) });
    for (const [file, data] of [
      [`${name}.bin`, Buffer.concat(chunks)],
      [`${name}.json`, index],
    ] as const) {
      const path = join(this.packDir, file);
      writeFileSync(`${path}.tmp`, data);
      renameSync(`${path}.tmp`, path);
    }
    this.added += index.length;
  }

  /**
   * Takes in an entry that came from elsewhere (the remote cache), with its files' bytes, once
   * each file is checked against the entry (its size and hash) and the entry against its own
   * outputs (no path out of them): it is then a local entry like any other, kept in this run's
   * pack when the store is flushed. Returns why not.
   */
  admit(entry: CacheEntry, files: ReadonlyMap<string, Uint8Array>): string | undefined {
    for (const out of entry.outputs)
      if (!safeRelative(out)) return `output ${out} is not a plain relative path`;
    for (const f of entry.files) {
      const within = entry.outputs.some((out) => f.path.startsWith(`${out}/`));
      if (!safeRelative(f.path) || !within) return `file ${f.path} is not inside a declared output`;
      const bytes = files.get(f.path);
      if (!bytes || bytes.length !== f.size || Bun.hash.xxHash64(bytes).toString(16) !== f.hash) {
        return `file ${f.path} does not match its entry`;
      }
    }
    if (files.size !== entry.files.length) return "the artifact carries files its entry does not name";
    if (!KEY.test(entry.key)) return `${entry.key} is not a task key`;
    if (!this.admitted.has(entry.key)) this.unpacked.push(entry.key);
    this.admitted.set(entry.key, { entry, files });
    this.added += entry.files.reduce((n, f) => n + f.size, 0);
    return undefined;
  }

  /**
   * Waits for the entries being written, then keeps the store under its cap. A full scan of the
   * store only when the running total says the cap may be passed.
   */
  async flush(): Promise<void> {
    const writes = this.pending.splice(0);
    await Promise.all(writes);
    this.writePack();
    if (!this.added) return;
    this.size ??= this.scan().reduce((n, e) => n + e.size, 0) - this.added;
    this.size += this.added;
    this.added = 0;
    if (this.size > this.maxBytes) this.evict();
  }

  /**
   * Copies the output directories to `<key>.out/`. No temp directory is needed: the entry that
   * vouches for them is written after, and a reader checks every file against it.
   */
  private keepOutputs(key: string, outputs: string[], root: string): StoredFile[] {
    const dir = this.outDir(key);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    for (const out of outputs) {
      const from = join(root, out);
      if (existsSync(from)) cpSync(from, join(dir, out), { recursive: true, verbatimSymlinks: true });
    }
    return filesUnder(dir, dir).map((f) => ({ ...f, hash: hashOf(join(dir, f.path)) }));
  }

  /**
   * Puts a hit's missing output files back under `root`, for a task in `cwd`. Every path is
   * checked before anything is written (see restoreRefusal); nothing is ever deleted, and a file
   * already there is one the cache wrote, byte for byte. Returns why it refused, if it did.
   */
  restore(entry: CacheEntry, root: string, cwd: string): string | undefined {
    const refusal = restoreRefusal(entry, root, cwd);
    if (refusal) return refusal;
    const missing = entry.files.filter((f) => !existsSync(join(root, f.path)));
    if (existsSync(this.path(entry.key)) && !this.admitted.has(entry.key)) {
      for (const f of missing) {
        mkdirSync(dirname(join(root, f.path)), { recursive: true });
        copyFileSync(join(this.outDir(entry.key), f.path), join(root, f.path));
      }
      return undefined;
    }
    // Bytes from the remote or a pack are checked against the entry, all of them before any is written.
    const bytes = missing.map((f) => this.storedFile(entry.key, f.path));
    const bad = missing.find((f, i) => Bun.hash.xxHash64(bytes[i] as Uint8Array).toString(16) !== f.hash);
    if (bad) return `stored file ${bad.path} does not match its entry`;
    missing.forEach((f, i) => {
      mkdirSync(dirname(join(root, f.path)), { recursive: true });
      writeFileSync(join(root, f.path), bytes[i] as Uint8Array);
    });
    return undefined;
  }

  /** Each entry (a pack counts as one) with its size, outputs included, when it was last used, and how it goes. */
  private scan(): { size: number; used: number; drop: () => void }[] {
    const sizeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    const own = this.listed(this.dir).flatMap((f) => {
      const key = f.slice(0, -".json".length);
      const st = KEY.test(key) && f.endsWith(".json") && statSync(this.path(key), { throwIfNoEntry: false });
      if (!st) return [];
      const outputs = filesUnder(this.outDir(key), this.outDir(key)).reduce((n, x) => n + x.size, 0);
      return [{ size: st.size + outputs, used: st.mtimeMs, drop: () => this.drop(key) }];
    });
    const inPacks = new Set(this.listed(this.packDir));
    const packs = [...inPacks].flatMap((f) => {
      const path = join(this.packDir, f);
      const bin = path.replace(/\.json$/, ".bin");
      // A pack is its index and its bytes; anything else there (bytes whose index a run that
      // stopped never wrote, a temp file) is aged out like an entry.
      const owned = f.endsWith(".bin") && inPacks.has(f.replace(/\.bin$/, ".json"));
      const st = !owned && statSync(path, { throwIfNoEntry: false });
      if (!st) return [];
      const drop = () => {
        rmSync(path, { force: true });
        if (f.endsWith(".json")) rmSync(bin, { force: true });
      };
      return [{ size: st.size + (f.endsWith(".json") ? sizeOf(bin) : 0), used: st.mtimeMs, drop }];
    });
    return [...own, ...packs];
  }

  private listed(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  }

  /** Over the cap: the least recently used entries go, outputs and all, until it is at 80 %. */
  evict(): void {
    const entries = this.scan();
    let total = entries.reduce((n, e) => n + e.size, 0);
    this.size = total;
    if (total <= this.maxBytes) return;
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes * 0.8) break;
      e.drop();
      total -= e.size;
    }
    this.size = total;
  }
}
