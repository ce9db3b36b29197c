// The docker CLI, as the engine stand-in uses it to replay container chains for real. Every
// value a chain carries (env values, secrets) reaches docker through its environment by name
// (`-e NAME`), never on its command line; argv after the image is the exec's own argv.
import { spawn } from "node:child_process";

export type DockerResult = { code: number; stdout: string; stderr: string };

/** The label `.ci/images` puts on each image it builds: the exact reference it stands for. */
export const REF_LABEL = "monorepo-ci.standin.ref";

/**
 * Runs `docker …` to its end. `stdin` is piped in (a tar stream for `docker cp -`); `stdout`
 * may be redirected to a file descriptor when it is binary (`docker cp … -`).
 */
export function docker(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: NodeJS.ReadableStream; stdoutFd?: number } = {},
): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, {
      env: { ...process.env, ...opts.env },
      stdio: [opts.stdin ? "pipe" : "ignore", opts.stdoutFd ?? "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    if (opts.stdin && child.stdin) opts.stdin.pipe(child.stdin);
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** `docker …` that must succeed; its stdout, trimmed. */
export async function dockerOk(args: string[], what: string, env?: Record<string, string>): Promise<string> {
  const r = await docker(args, { env });
  if (r.code !== 0) throw new Error(`${what}: docker ${args[0]} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Whether a Docker daemon answers. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    return (await docker(["info", "--format", "{{.ServerVersion}}"])).code === 0;
  } catch {
    return false;
  }
}

/** Where `.ci/images` tags what it builds. */
export const STANDIN_REPOSITORY = "monorepo-ci-standin";

/**
 * The image `.ci/images` built for exactly this reference, if there is one. Only its tagged
 * images count: every step the stand-in commits inherits the label too, and must never be taken
 * for the pinned image (it holds an earlier call's files).
 */
export async function localImageFor(address: string): Promise<string | undefined> {
  const out = await dockerOk(
    [
      "images",
      "--quiet",
      "--no-trunc",
      "--filter",
      `reference=${STANDIN_REPOSITORY}/*:latest`,
      "--filter",
      `label=${REF_LABEL}=${address}`,
    ],
    `resolving ${address}`,
  );
  const ids = [...new Set(out.split("\n").filter(Boolean))];
  if (ids.length > 1)
    throw new Error(`more than one stand-in image is labelled ${address}: run .ci/images again`);
  return ids[0];
}

/** The environment an image sets (its ENV), as a map. */
export async function imageEnv(image: string): Promise<Record<string, string>> {
  const json = await dockerOk(["image", "inspect", "--format", "{{json .Config.Env}}", image], "image env");
  const env: Record<string, string> = {};
  for (const pair of (JSON.parse(json) as string[] | null) ?? []) {
    const eq = pair.indexOf("=");
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
