import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import type { CheckContext } from "../checks/context.ts";
import type { MonorepoConfig } from "../config/schema.ts";
import { maskSecrets } from "../checks/quality/detect.ts";
import { tail } from "../plan/result.ts";
import type { ExecTask } from "../plan/task.ts";
import { FileHashes, type HashStats } from "./file-hashes.ts";
import { declaredInputs, taskInputs, tsconfigExtends } from "./inputs.ts";
import {
  bundleHash,
  packArtifact,
  packBundle,
  unpackArtifact,
  unpackBundle,
  type RemoteCache,
  type Unpacked,
} from "./remote.ts";
import { TaskStore, type CacheEntry } from "./store.ts";

/**
 * The host's task cache: a passed `exec` task whose key is unchanged is not run again; its
 * result and output tail come from the store. The key covers everything that can change the
 * result: the argv and directory, the task's own env, the bun and node versions, the binary it
 * runs (a node_modules tool is covered by bun.lock, which is an input), the allowlisted
 * environment variables, and the content of every input file (see inputs.ts).
 */

/** Bumped when the key's recipe or the entry's shape changes, so old entries are never hits. */
export const CACHE_VERSION = 1;

/** How many remote requests a prefetch keeps in flight. */
const PREFETCH_REQUESTS = 16;

/** A plan whose stored results come to more than this gets no bundle: its tasks' artifacts suffice. */
const BUNDLE_MAX_BYTES = 64 * 1024 * 1024;

/** Variables in every task's key: they change what tools do. `cache.env` adds to them. */
export const DEFAULT_CACHE_ENV = ["NODE_ENV", "BUN_ENV", "CI", "TZ", "LANG", "LC_ALL"];

/** Under the source's node_modules, which git and the source listing both ignore. */
export const cacheDir = (root: string) => join(root, "node_modules", ".cache", "monorepo-ci");

/** The store's size cap in bytes: no remote answer may be larger, nor unpack past twice it. */
export const cacheCapBytes = (config: MonorepoConfig) => config.cache.maxMegabytes * 1024 * 1024;

/** Is the cache off for this run? `--no-cache`, or MONOREPO_CI_CACHE=off (or 0, false). */
export const cacheDisabledByEnv = (env: NodeJS.ProcessEnv) =>
  /^(off|0|false|no)$/i.test(env.MONOREPO_CI_CACHE ?? "");

let nodeVersion: string | undefined;
const node = () =>
  (nodeVersion ??= (() => {
    const r = spawnSync("node", ["--version"], { encoding: "utf8", timeout: 10_000 });
    return r.status === 0 ? r.stdout.trim() : "none";
  })());

/** What the cache did in a run, for the summary line and the benchmark. */
export type CacheStats = HashStats & {
  hits: number;
  /** Of the hits, those the remote tier served (each then kept locally). */
  remoteHits: number;
  misses: number;
  savedMs: number;
  keyMs: number;
  /** A store failure that turned the cache off, and restores it refused: said, never hidden. */
  warnings: string[];
};

export class HostCache {
  private readonly hashes: FileHashes;
  private readonly store: TaskStore;
  private readonly counts = { hits: 0, remoteHits: 0, misses: 0, savedMs: 0, keyMs: 0 };
  /** Per run: a directory's inputs and a binary's identity are the same for every task. */
  private readonly inputsOf = new Map<string, string[]>();
  private readonly tools = new Map<string, string>();
  /** Set by the first store error: the cache is off from then on (see guard). */
  private failure?: string;
  private readonly notes: string[] = [];
  /** The store's cap, which also bounds what one remote artifact may unpack to. */
  private get maxBytes(): number {
    return cacheCapBytes(this.ctx.config);
  }
  /** The source's files as a set, for following tsconfig `extends`; made once per run. */
  private known?: Set<string>;

  constructor(
    private readonly root: string,
    private readonly ctx: CheckContext,
    private readonly files: readonly string[],
    private readonly remote?: RemoteCache,
  ) {
    const dir = cacheDir(root);
    this.hashes = new FileHashes(root, join(dir, "file-index.json"));
    this.store = new TaskStore(join(dir, "tasks"), this.maxBytes);
  }

  get stats(): CacheStats {
    return { ...this.hashes.stats, ...this.counts, warnings: this.warnings };
  }

  /** The binary the task runs: by bun.lock when it comes from node_modules, else by its file. */
  private tool(binary: string, path: string): string {
    const id = `${binary}\0${path}`;
    let known = this.tools.get(id);
    if (known === undefined) {
      known = this.identify(binary, path);
      this.tools.set(id, known);
    }
    return known;
  }

  private identify(binary: string, path: string): string {
    const found = Bun.which(binary, { PATH: path, cwd: this.root });
    if (!found) return "missing";
    const real = realpathSync(found);
    if (real.split(sep).includes("node_modules")) return "node_modules";
    const st = statSync(real);
    return `${real}:${st.size}:${st.mtimeMs}`;
  }

  /** The task's key: a SHA-256 over everything that can change its result; none once the cache failed. */
  keyFor(task: ExecTask, env: NodeJS.ProcessEnv): string | undefined {
    const started = performance.now();
    try {
      return this.guard("keying", () => this.key(task, env));
    } finally {
      this.counts.keyMs += performance.now() - started;
    }
  }

  private key(task: ExecTask, env: NodeJS.ProcessEnv): string {
    const { cache } = this.ctx.config;
    const pkg = this.ctx.workspace.manifests.find((m) => m.dir === task.cwd)?.manifest.name;
    const names = [
      ...new Set([...DEFAULT_CACHE_ENV, ...cache.env, ...(pkg ? (cache.packageEnv[pkg] ?? []) : [])]),
    ];
    const inputsKey = [task.cwd, ...(task.inputs ?? [])].join("\0");
    let inputs = this.inputsOf.get(inputsKey);
    if (!inputs) {
      const found = taskInputs(this.files, this.ctx.workspace, task.cwd, [this.ctx.config.qualityBaseline]);
      this.known ??= new Set(this.files);
      const known = this.known;
      const read = (f: string) => {
        try {
          return readFileSync(join(this.root, f), "utf8");
        } catch {
          return undefined;
        }
      };
      inputs = [
        ...new Set([
          ...found,
          ...tsconfigExtends(found, known, read),
          ...declaredInputs(this.files, task.inputs ?? []),
        ]),
      ].sort();
      this.inputsOf.set(inputsKey, inputs);
    }
    const material = {
      version: CACHE_VERSION,
      argv: task.argv,
      outputs: task.outputs ?? [],
      cwd: task.cwd,
      taskEnv: task.env ?? {},
      env: names.sort().map((n) => [n, env[n] ?? null]),
      bun: Bun.version,
      node: node(),
      tool: this.tool(task.argv[0] ?? "", env.PATH ?? ""),
      inputs: inputs.map((f) => [f, this.hashes.hash(f)]),
    };
    return createHash("sha256").update(JSON.stringify(material)).digest("hex");
  }

  /** Keys whose entries the remote served ahead of their tasks (prefetch): their hits are remote. */
  private readonly prefetched = new Set<string>();
  /** Keys the prefetch already asked the remote for: a miss there is not asked again. */
  private readonly asked = new Set<string>();
  /** Plans whose bundle the remote did not have: uploaded at the end when every task passed. */
  private readonly bundlesMissed: { hash: string; keys: string[] }[] = [];
  /** Outputs already masked for an upload this run, by key, so a bundle does not mask them twice. */
  private readonly masked = new Map<string, Promise<string>>();

  /**
   * Asks the remote for a plan's tasks' artifacts before the tasks run and keeps what it has
   * locally: a lookup then finds them at once, instead of each task waiting for its own request in
   * a slot of the pool. First the plan's bundle (every task's artifact under one hash of all their
   * keys: one request when nothing changed since a machine uploaded it), then each task's artifact
   * the bundle did not hold, many at a time. A key that changes by the time its task runs (a
   * generator rewrote an input) only means that artifact goes unused; the task's own lookup decides.
   */
  async prefetch(items: { task: ExecTask; env: NodeJS.ProcessEnv }[]): Promise<void> {
    if (!this.remote?.usable || this.failure) return;
    const keyed = items.flatMap(({ task, env }) => {
      const key = this.keyFor(task, env);
      return key ? [{ key, task }] : [];
    });
    let wanted = keyed.filter(({ key }) => !this.guard("reading", () => this.store.get(key)));
    if (!wanted.length) return;
    for (const { key } of wanted) this.asked.add(key);
    if (keyed.length > 1) {
      const keys = keyed.map(({ key }) => key);
      const hash = bundleHash(keys);
      const got = await this.fromBundle(hash, new Set(keys), wanted);
      if (got) wanted = wanted.filter(({ key }) => !got.has(key));
      else this.bundlesMissed.push({ hash, keys });
    }
    let next = 0;
    const worker = async () => {
      while (next < wanted.length && this.remote?.usable) {
        const { key, task } = wanted[next++] as { key: string; task: ExecTask };
        if (await this.fromRemote(key, task)) this.prefetched.add(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PREFETCH_REQUESTS, wanted.length) }, worker));
  }

  /** The keys a plan's bundle served, each admitted as its own artifact is; undefined on a miss. */
  private async fromBundle(
    hash: string,
    keys: ReadonlySet<string>,
    wanted: readonly { key: string; task: ExecTask }[],
  ): Promise<Set<string> | undefined> {
    const body = await this.remote?.get(hash, `the bundle of ${keys.size} tasks`);
    if (!body) return undefined;
    const bundle = unpackBundle(body, keys, this.maxBytes);
    if ("refused" in bundle) {
      this.remote?.corrupt(bundle.refused);
      return undefined;
    }
    const byKey = new Map(bundle.artifacts.map((a) => [a.entry.key, a]));
    const got = new Set<string>();
    for (const { key, task } of wanted) {
      const artifact = byKey.get(key);
      if (artifact && this.keep(artifact, task)) {
        got.add(key);
        this.prefetched.add(key);
      }
    }
    return got;
  }

  /** The outputs a task declares, as paths from the root: all an entry of it may restore. */
  private declaredOutputs(task: ExecTask): string[] {
    return (task.outputs ?? []).map((o) => (task.cwd === "." ? o : `${task.cwd}/${o}`));
  }

  /**
   * A hit, local or else remote, with the task's missing output files put back. A remote
   * artifact is checked whole (its signature, its form, every path inside an output the task
   * declares) and kept locally before anything is restored. An entry the store cannot restore
   * safely (its outputs hold files the cache did not write, or a path leaves the package) is a
   * miss, and says why: the task runs and nothing is touched.
   */
  async lookup(
    key: string,
    task: ExecTask,
  ): Promise<{ entry: CacheEntry; tier: "local" | "remote" } | undefined> {
    let tier: "local" | "remote" = this.prefetched.has(key) ? "remote" : "local";
    let entry = this.guard("reading", () => this.store.get(key));
    if (!entry && this.remote?.usable && !this.failure && !this.asked.has(key)) {
      entry = await this.fromRemote(key, task);
      tier = "remote";
    }
    const declared = new Set(this.declaredOutputs(task));
    const foreign = entry?.outputs.find((o) => !declared.has(o));
    const refusal = foreign
      ? `output ${foreign} is not one the task declares`
      : entry && this.guard("restoring", () => this.store.restore(entry, this.root, task.cwd));
    if (entry && refusal === undefined && !this.failure) {
      this.counts.hits++;
      if (tier === "remote") this.counts.remoteHits++;
      this.counts.savedMs += entry.durationMs;
      return { entry, tier };
    }
    if (refusal) this.notes.push(`${task.label}: ran instead of restoring its outputs: ${refusal}`);
    this.counts.misses++;
    return undefined;
  }

  /** The remote's artifact for `key`, admitted into the local store, or undefined. */
  private async fromRemote(key: string, task: ExecTask): Promise<CacheEntry | undefined> {
    const body = await this.remote?.get(key, task.label);
    if (!body) return undefined;
    const artifact = unpackArtifact(body, key, this.maxBytes);
    if ("refused" in artifact) {
      this.remote?.corrupt(artifact.refused);
      return undefined;
    }
    return this.keep(artifact, task);
  }

  /** An artifact from the remote, taken into the local store once its files check out. */
  private keep(artifact: Unpacked, task: ExecTask): CacheEntry | undefined {
    const refused = this.guard("storing", () => this.store.admit(artifact.entry, artifact.files));
    if (refused) {
      this.notes.push(`${task.label}: the remote cache's artifact was not used: ${refused}`);
      return undefined;
    }
    return this.guard("reading", () => this.store.get(artifact.entry.key));
  }

  /**
   * The cache never fails a run: the first error of its store (a full disk, a file where a
   * directory should be, no permission) turns it off for the rest of the run, with one warning;
   * every task then runs uncached and the report is the same.
   */
  private guard<T>(doing: string, work: () => T): T | undefined {
    if (this.failure) return undefined;
    try {
      return work();
    } catch (error) {
      this.fail(doing, error);
      return undefined;
    }
  }

  private fail(doing: string, error: unknown): void {
    if (this.failure) return;
    const what = error instanceof Error ? error.message : String(error);
    this.failure = `cache: off for the rest of this run after an error ${doing} ${cacheDir(this.root)}: ${what}`;
  }

  /** The one warning of a run whose cache failed, the remote's, and the notes of refused restores. */
  get warnings(): string[] {
    return [...(this.failure ? [this.failure] : []), ...(this.remote?.warnings ?? []), ...this.notes];
  }

  /** Only passed tasks are stored; the caller never offers a failure. */
  remember(
    key: string,
    task: ExecTask,
    durationMs: number,
    output: string,
    coverage?: { lines: number; functions: number },
  ): void {
    const stored = this.guard("storing", () =>
      this.store.put(
        {
          version: 1,
          key,
          task: task.id,
          label: task.label,
          durationMs,
          output: tail(output, 200),
          createdAt: new Date().toISOString(),
          outputs: this.declaredOutputs(task),
          ...(coverage && { coverage }),
        },
        this.root,
      ),
    );
    // Uploaded in the background from what the store just kept, its output masked for secrets
    // first, since others read it; save() waits, within a bound.
    if (stored && this.remote) {
      const masked = maskSecrets(stored.output);
      this.masked.set(key, masked);
      const body = masked.then((output) =>
        packArtifact({ ...stored, output }, (path) => this.store.storedFile(key, path)),
      );
      this.remote.put(key, body, durationMs);
    }
  }

  /**
   * A plan the remote had no bundle for, whose every task now has a stored pass (run now, or a
   * hit), is uploaded as one bundle, outputs masked as for any upload: the next machine on this
   * tree fetches it in one request. A plan with a failure, or a key that moved, gets none.
   */
  private uploadBundles(): void {
    for (const { hash, keys } of this.bundlesMissed.splice(0)) {
      const entries = keys.map((key) => this.guard("reading", () => this.store.get(key)));
      if (!entries.every((e): e is CacheEntry => e !== undefined)) continue;
      const bytes = entries.reduce(
        (n, e) => n + e.output.length + e.files.reduce((m, f) => m + f.size, 0),
        0,
      );
      if (bytes > BUNDLE_MAX_BYTES) continue;
      const body = Promise.all(
        entries.map(async (e) => ({ ...e, output: await (this.masked.get(e.key) ?? maskSecrets(e.output)) })),
      ).then((masked) => packBundle(masked, (key, path) => this.store.storedFile(key, path)));
      this.remote?.put(
        hash,
        body,
        entries.reduce((n, e) => n + e.durationMs, 0),
      );
    }
  }

  /**
   * Waits for the entries being stored (a bundle is packed from them), then for the uploads, and
   * keeps what the file index learned for the next run.
   */
  async save(): Promise<void> {
    const saving = async (work: () => Promise<void> | void) => {
      if (this.failure) return;
      try {
        await work();
      } catch (error) {
        this.fail("saving", error);
      }
    };
    await saving(() => this.store.flush());
    if (this.remote?.writing && !this.failure) this.uploadBundles();
    await this.remote?.flush();
    await saving(() => this.hashes.save());
  }
}

/** One line for the end of a run: what came from the cache, what ran, and what keying cost. */
export function cacheSummary(s: CacheStats): string {
  return (
    s.warnings.map((w) => `${w}\n`).join("") +
    `cache: ${s.hits} of ${s.hits + s.misses} task(s) from the cache${s.remoteHits ? ` (${s.hits - s.remoteHits} local, ${s.remoteHits} remote)` : ""} (${(s.savedMs / 1000).toFixed(1)}s saved); ` +
    `keys took ${s.keyMs.toFixed(0)} ms: ${s.statted} file(s) statted, ${s.hashed} hashed`
  );
}
