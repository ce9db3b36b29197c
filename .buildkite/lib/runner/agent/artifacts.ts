import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
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

  /**
   * Uploads what `spec` matches in `cwd` for `job`: the files' contents, never a link. A match
   * that is, or lies below, a symlink leading out of the checkout is left out and named in
   * `refused`: an upload reads the build's own files only.
   */
  upload(spec: string, cwd: string, job: string, step: string): { paths: string[]; refused: string[] } {
    const checkout = realpathSync(cwd);
    const paths = new Map<string, string>();
    const refused: string[] = [];
    for (const glob of artifactGlobs(spec)) {
      // Links are followed to what they name, as the agent uploads a linked file's content; one
      // that leads out of the checkout is refused below.
      for (const f of new Bun.Glob(glob).scanSync({
        cwd,
        onlyFiles: true,
        dot: true,
        followSymlinks: true,
      })) {
        const rel = normalize(f);
        const real = realpathSync(join(cwd, rel));
        if (rel.startsWith("..") || !real.startsWith(`${checkout}${sep}`)) refused.push(rel);
        else paths.set(rel, real);
      }
    }
    const index = this.list().filter((a) => !(a.job === job && paths.has(a.path)));
    for (const [path, real] of paths) {
      mkdirSync(join(this.dir, job, path, ".."), { recursive: true });
      copyFileSync(real, join(this.dir, job, path));
      index.push({ job, step, path });
    }
    writeFileSync(this.indexFile(), `${JSON.stringify(index, null, 2)}\n`);
    return { paths: [...paths.keys()], refused };
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

/**
 * Where a download's files go: `dest` (relative to the job's checkout, or absolute) must be the
 * checkout or inside it, whatever `..` or symlinks it goes through; so must every file below it.
 */
export function downloadTarget(dest: string, cwd: string, path: string): string {
  const checkout = realpathSync(cwd);
  const target = resolve(cwd, dest, path);
  // The deepest part of the path that exists decides where a symlink on the way leads.
  let existing = target;
  while (!existsSync(existing)) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, target));
  if (real !== checkout && !real.startsWith(`${checkout}${sep}`)) {
    throw new InputError(
      `artifact download: ${JSON.stringify(dest)} would write ${path} outside the job's checkout (${checkout}); give a directory inside it`,
    );
  }
  return target;
}
