import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileHashes } from "../../.dagger/src/cache/file-hashes.ts";
import { TaskStore, type CacheEntry } from "../../.dagger/src/cache/store.ts";
import { tempDir, writeFiles } from "../support/git.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const dir = (name: string) => {
  const d = tempDir(name);
  dirs.push(d);
  return d;
};

const store = (root: string) => join(root, "tasks");
const key = (n: number) => n.toString(16).padStart(64, "0");
const entry = (n: number): Omit<CacheEntry, "files"> => ({
  version: 1,
  key: key(n),
  task: `t${n}`,
  label: `task ${n}`,
  durationMs: n,
  output: "x".repeat(400),
  createdAt: new Date().toISOString(),
  outputs: [],
});

describe("the task store", () => {
  test("over its cap, the least recently used entries go first; reading one keeps it", async () => {
    const root = dir("store");
    const store = new TaskStore(join(root, "tasks"), 2500);
    for (let n = 1; n <= 4; n++) {
      store.put(entry(n), root);
      await store.flush();
      // Distinct use times, oldest first, without waiting on the clock.
      utimesSync(join(store.dir, `${key(n)}.json`), n * 1000, n * 1000);
    }
    expect(store.get(key(1))?.task).toBe("t1"); // now the most recently used
    store.put(entry(5), root);
    store.put(entry(6), root);
    await store.flush();
    const kept = [1, 2, 3, 4, 5, 6].filter((n) => existsSync(join(store.dir, `${key(n)}.json`)));
    expect(kept).toContain(1);
    expect(kept).toContain(6);
    expect(kept).not.toContain(2);
    expect(kept.length).toBeLessThan(6);
  });

  test("what the remote served is kept as one pack, read back whole by the next run", async () => {
    const root = dir("store");
    const bytes = (text: string) => new TextEncoder().encode(text);
    const file = (path: string, text: string) => ({
      path,
      size: bytes(text).length,
      hash: Bun.hash.xxHash64(bytes(text)).toString(16),
    });
    const served = (n: number, text: string): [CacheEntry, Map<string, Uint8Array>] => [
      { ...entry(n), outputs: [`p${n}/dist`], files: [file(`p${n}/dist/i.js`, text)] },
      new Map([[`p${n}/dist/i.js`, bytes(text)]]),
    ];
    const first = new TaskStore(join(root, "tasks"), 1e6);
    for (const n of [1, 2, 3]) expect(first.admit(...served(n, `built ${n}\n`))).toBeUndefined();
    expect(first.get(key(2))?.task).toBe("t2");
    await first.flush();
    // One pack, no file per entry.
    expect(readdirSync(join(store(root), "packs")).sort()).toHaveLength(2);
    expect(readdirSync(store(root)).filter((f) => f.endsWith(".json"))).toEqual([]);

    const next = new TaskStore(join(root, "tasks"), 1e6);
    const hit = next.get(key(3));
    expect(hit?.files.map((f) => f.path)).toEqual(["p3/dist/i.js"]);
    expect(next.restore(hit as CacheEntry, root, "p3")).toBeUndefined();
    expect(readFileSync(join(root, "p3/dist/i.js"), "utf8")).toBe("built 3\n");

    // A byte changed inside the pack: that entry's restore refuses and writes nothing.
    const [bin] = readdirSync(join(store(root), "packs")).filter((f) => f.endsWith(".bin"));
    const path = join(store(root), "packs", bin as string);
    const data = readFileSync(path);
    data[0] = data[0] === 0x41 ? 0x42 : 0x41;
    writeFileSync(path, data);
    const third = new TaskStore(join(root, "tasks"), 1e6);
    expect(third.restore(third.get(key(1)) as CacheEntry, root, "p1")).toContain("does not match its entry");
    expect(existsSync(join(root, "p1/dist"))).toBe(false);

    // Cut short: the whole pack is a miss, and removed.
    writeFileSync(path, data.subarray(0, 5));
    expect(new TaskStore(join(root, "tasks"), 1e6).get(key(2))).toBeUndefined();
    expect(readdirSync(join(store(root), "packs"))).toEqual([]);
  });

  test("a pack is evicted as one, least recently used first, and so are its leftovers", async () => {
    const root = dir("store");
    const tasks = join(root, "tasks");
    const one = new TaskStore(tasks, 1e6);
    one.admit({ ...entry(1), output: "y".repeat(1500), files: [] }, new Map());
    await one.flush();
    const [index] = readdirSync(join(tasks, "packs")).filter((f) => f.endsWith(".json"));
    utimesSync(join(tasks, "packs", index as string), 1000, 1000);
    // Bytes whose index a stopped run never wrote: aged out like any entry.
    writeFileSync(join(tasks, "packs", "1-2-3.bin"), "z".repeat(100));
    utimesSync(join(tasks, "packs", "1-2-3.bin"), 500, 500);
    const two = new TaskStore(tasks, 2500);
    two.put(entry(2), root);
    two.put(entry(3), root);
    await two.flush();
    expect(readdirSync(join(tasks, "packs"))).toEqual([]);
    expect(two.get(key(1))).toBeUndefined();
    expect(two.get(key(3))?.task).toBe("t3");
  });

  test("a key that is not a SHA-256 is refused, so no path can be built from one", () => {
    const store = new TaskStore(join(dir("store"), "tasks"), 1e6);
    expect(() => store.get("../../etc/passwd")).toThrow("not a task key");
  });
});

describe("file hashes", () => {
  test("a warm run stats every input and hashes only what changed", () => {
    const root = dir("hashes");
    writeFiles(root, { "a.ts": "a", "b.ts": "b", "c.ts": "c" });
    // Older than the racy window, as files are between two runs.
    for (const f of ["a.ts", "b.ts", "c.ts"]) utimesSync(join(root, f), 1_000_000, 1_000_000);
    const index = join(root, "index.json");
    const cold = new FileHashes(root, index);
    const first = ["a.ts", "b.ts", "c.ts"].map((f) => cold.hash(f));
    cold.save();
    expect(cold.stats).toEqual({ statted: 3, hashed: 3 });

    const warm = new FileHashes(root, index);
    expect(["a.ts", "b.ts", "c.ts"].map((f) => warm.hash(f))).toEqual(first);
    expect(warm.stats).toEqual({ statted: 3, hashed: 0 });

    writeFileSync(join(root, "b.ts"), "B");
    const changed = new FileHashes(root, index);
    const after = ["a.ts", "b.ts", "c.ts"].map((f) => changed.hash(f));
    expect(changed.stats.hashed).toBe(1);
    expect(after[1]).not.toBe(first[1]);
    expect(changed.hash("gone.ts")).toBe("missing");
  });

  test("within one run, a file rewritten after it was hashed (a generator's output) is hashed again", () => {
    const root = dir("rewritten");
    writeFiles(root, { "gen.ts": "export const v = 1;\n" });
    const run = new FileHashes(root, join(root, "index.json"));
    const before = run.hash("gen.ts");
    expect(run.hash("gen.ts")).toBe(before);
    writeFileSync(join(root, "gen.ts"), "export const v = 2;\n");
    expect(run.hash("gen.ts")).not.toBe(before);
    expect(run.stats).toEqual({ statted: 1, hashed: 2 });
  });

  test("a file changed just now is hashed again next time, whatever its timestamps", () => {
    const root = dir("racy");
    writeFiles(root, { "a.ts": "a" });
    const index = join(root, "index.json");
    const first = new FileHashes(root, index);
    first.hash("a.ts");
    first.save();
    const second = new FileHashes(root, index);
    second.hash("a.ts");
    expect(second.stats.hashed).toBe(1);
  });
});
