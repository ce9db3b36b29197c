import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";
import { InputError } from "../../../../.dagger/src/errors.ts";

/** One artifact: the job that uploaded it and its path relative to that job's checkout. */
export type Artifact = { job: string; step: string; path: string };

/**
 * The agent's `;`-separated globs, each refused when it could reach outside the checkout
 * (an absolute path or a `..` segment): an upload only ever reads the build's own files.
 */
export function artifactGlobs(spec: string): string[] {
  const globs = spec
    .split(";")
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of globs) {
    if (isAbsolute(g) || g.split(/[\\/]/).includes("..")) {
      throw new InputError(`artifact path ${JSON.stringify(g)} leaves the build's checkout; it is refused`);
    }
  }
  return globs;
}

/** The build's artifact store: `<dir>/<job>/<path>` plus an index naming each job's step. */
export class ArtifactStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private indexFile = () => join(this.dir, "index.json");

  list(): Artifact[] {
    return existsSync(this.indexFile())
      ? (JSON.parse(readFileSync(this.indexFile(), "utf8")) as Artifact[])
      : [];
  }

  /** Uploads what `spec` matches in `cwd` for `job`; returns the paths stored. */
  upload(spec: string, cwd: string, job: string, step: string): string[] {
    const paths = new Set<string>();
    for (const glob of artifactGlobs(spec)) {
      for (const f of new Bun.Glob(glob).scanSync({ cwd, onlyFiles: true, dot: true })) {
        const rel = normalize(f);
        if (rel.startsWith("..")) continue; // a symlinked directory leading out: never followed out
        paths.add(rel);
      }
    }
    const index = this.list().filter((a) => !(a.job === job && paths.has(a.path)));
    for (const path of paths) {
      mkdirSync(join(this.dir, job, path, ".."), { recursive: true });
      cpSync(join(cwd, path), join(this.dir, job, path));
      index.push({ job, step, path });
    }
    writeFileSync(this.indexFile(), `${JSON.stringify(index, null, 2)}\n`);
    return [...paths];
  }

  /** Artifacts matching `spec`, from the step (key or label) when `step` is given. */
  find(spec: string, step?: string): Artifact[] {
    const globs = artifactGlobs(spec).map((g) => new Bun.Glob(g));
    return this.list().filter((a) => (!step || a.step === step) && globs.some((g) => g.match(a.path)));
  }

  file(a: Artifact): string {
    return join(this.dir, a.job, a.path);
  }
}
