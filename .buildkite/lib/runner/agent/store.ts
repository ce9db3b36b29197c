import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ArtifactStore } from "./artifacts.ts";
import { writeFileAtomic } from "../../../../.dagger/cli/io.ts";
import type { PipelineDefinition } from "../definition.ts";

/** A `pipeline upload`: the loaded definition, and whether it replaces the steps not yet started. */
export type Upload = { pipeline: PipelineDefinition; replace: boolean };

export type Annotation = { context: string; style: string; body: string; createdAt: number };

const safe = (name: string) => encodeURIComponent(name).replace(/\./g, "%2E");

/**
 * What the local agent keeps for a build, as files under one directory, shared by the runner and
 * every job's `buildkite-agent`: meta-data, annotations, artifacts, uploaded pipelines, step keys.
 */
export class AgentStore {
  /** The build's artifacts, per job, as Buildkite keeps them. */
  readonly artifacts: ArtifactStore;

  constructor(readonly dir: string) {
    for (const sub of ["meta-data", "annotations", "uploads"]) mkdirSync(join(dir, sub), { recursive: true });
    this.artifacts = new ArtifactStore(join(dir, "artifacts"));
  }

  setMeta(key: string, value: string): void {
    writeFileAtomic(join(this.dir, "meta-data", safe(key)), value);
  }

  getMeta(key: string): string | undefined {
    const path = join(this.dir, "meta-data", safe(key));
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  }

  metaData(): Record<string, string> {
    return Object.fromEntries(
      readdirSync(join(this.dir, "meta-data"))
        .filter((f) => !f.endsWith(".tmp"))
        .sort()
        .map((f) => [decodeURIComponent(f), readFileSync(join(this.dir, "meta-data", f), "utf8")]),
    );
  }

  /** A context's body is replaced, or appended to with `append`; its first creation fixes its order. */
  /**
   * An annotation is a directory of parts: replacing writes one part and drops the rest, and
   * each `--append` adds its own part file, so concurrent appends from parallel jobs lose nothing.
   * Parts are ordered by the wall-clock time (µs) they were written.
   */
  annotate(context: string, style: string, body: string, append: boolean): void {
    const dir = join(this.dir, "annotations", safe(context));
    const metaFile = join(dir, "meta.json");
    mkdirSync(dir, { recursive: true });
    const prior = existsSync(metaFile)
      ? (JSON.parse(readFileSync(metaFile, "utf8")) as Annotation)
      : undefined;
    const now = Math.round((performance.timeOrigin + performance.now()) * 1000);
    if (!append) {
      for (const f of readdirSync(dir)) if (f.startsWith("part-")) rmSync(join(dir, f), { force: true });
    }
    const part = `part-${String(now).padStart(20, "0")}-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileAtomic(join(dir, part), body);
    writeFileAtomic(
      metaFile,
      JSON.stringify({
        context,
        style: style || prior?.style || "default",
        body: "",
        createdAt: prior?.createdAt ?? now,
      }),
    );
  }

  annotations(): Annotation[] {
    const root = join(this.dir, "annotations");
    return readdirSync(root)
      .filter((d) => existsSync(join(root, d, "meta.json")))
      .map((d) => {
        const meta = JSON.parse(readFileSync(join(root, d, "meta.json"), "utf8")) as Annotation;
        const parts = readdirSync(join(root, d))
          .filter((f) => f.startsWith("part-") && !f.endsWith(".tmp"))
          .sort();
        return { ...meta, body: parts.map((f) => readFileSync(join(root, d, f), "utf8")).join("") };
      })
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  addUpload(job: string, upload: Upload): void {
    const dir = join(this.dir, "uploads", safe(job));
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, `${Date.now()}-${readdirSync(dir).length}.json`), JSON.stringify(upload));
  }

  /** The job's uploads in the order it made them; taking them removes them. */
  takeUploads(job: string): Upload[] {
    const dir = join(this.dir, "uploads", safe(job));
    if (!existsSync(dir)) return [];
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    // Written by addUpload above from a loaded definition, so it is read back as one.
    const uploads = files.map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Upload);
    rmSync(dir, { recursive: true, force: true });
    return uploads;
  }

  keys(): Set<string> {
    const path = join(this.dir, "keys.json");
    return new Set(existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as string[]) : []);
  }

  setKeys(keys: Iterable<string>): void {
    writeFileAtomic(join(this.dir, "keys.json"), JSON.stringify([...keys]));
  }
}
