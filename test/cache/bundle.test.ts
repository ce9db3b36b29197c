// A plan's bundle is taken only as what it claims to be: the artifacts of that plan's tasks.
import { describe, expect, test } from "bun:test";
import { bundleHash, packBundle, unpackArtifact, unpackBundle } from "../../.dagger/src/cache/remote.ts";
import type { CacheEntry } from "../../.dagger/src/cache/store.ts";

const key = (n: number) => n.toString(16).padStart(64, "0");
const entry = (n: number): CacheEntry => ({
  version: 1,
  key: key(n),
  task: `t${n}`,
  label: `task ${n}`,
  durationMs: n,
  output: "ok",
  createdAt: new Date(0).toISOString(),
  outputs: [`p${n}/dist`],
  files: [{ path: `p${n}/dist/i.js`, size: 2, hash: Bun.hash.xxHash64("hi").toString(16) }],
});
const bytes = () => new TextEncoder().encode("hi");
const MB = 1024 * 1024;

describe("a plan's bundle", () => {
  test("its hash is every key of the plan, in any order, and no task's key", () => {
    expect(bundleHash([key(1), key(2)])).toBe(bundleHash([key(2), key(1)]));
    expect(bundleHash([key(1), key(2)])).not.toBe(bundleHash([key(1), key(3)]));
    expect(bundleHash([key(1)])).not.toBe(key(1));
    expect(bundleHash([key(1)])).toMatch(/^[0-9a-f]{64}$/);
  });

  test("round trip: each artifact with its files' bytes", () => {
    const body = packBundle([entry(1), entry(2)], bytes);
    const back = unpackBundle(body, new Set([key(1), key(2), key(3)]), MB);
    if ("refused" in back) throw new Error(back.refused);
    expect(back.artifacts.map((a) => a.entry.key)).toEqual([key(1), key(2)]);
    expect(new TextDecoder().decode(back.artifacts[0]?.files.get("p1/dist/i.js"))).toBe("hi");
  });

  test("one carrying a task outside the plan, or not a bundle at all, is refused whole", () => {
    const foreign = unpackBundle(packBundle([entry(1), entry(9)], bytes), new Set([key(1), key(2)]), MB);
    expect(foreign).toEqual({ refused: "it carries artifacts of tasks outside the plan" });
    const single = Bun.gzipSync(JSON.stringify({ entry: entry(1), files: [] }));
    expect(unpackBundle(single, new Set([key(1)]), MB)).toEqual({
      refused: "its body is not a bundle of ours",
    });
    const cut = packBundle([entry(1)], bytes).subarray(0, 20);
    expect("refused" in unpackBundle(cut, new Set([key(1)]), MB)).toBe(true);
  });

  test("a small body that unpacks past twice the cache's cap is refused, not unpacked", () => {
    const bomb = Bun.gzipSync(new Uint8Array(3 * MB));
    expect(bomb.length).toBeLessThan(MB / 10);
    expect(unpackBundle(bomb, new Set([key(1)]), MB)).toEqual({
      refused: "its body unpacks to more than 2 MB, twice the cache's cap",
    });
    expect(unpackArtifact(bomb, key(1), MB)).toEqual({
      refused: "its body unpacks to more than 2 MB, twice the cache's cap",
    });
  });
});
