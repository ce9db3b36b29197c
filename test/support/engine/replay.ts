// Container chains, replayed for real in Docker, with the engine's rules as far as they can be
// had here (dagger/dagger backport-0.21: core/container_exec.go, core/exec_error.go,
// engine/engineutil/ref.go):
// - `from` resolves only to an image `.ci/images` built for exactly that reference; anything
//   else is the engine's "failed to resolve" error;
// - directories are copied in with their include/exclude filters narrowing one another, modes
//   and owners kept; `directory()` reads back what the container holds;
// - an exec runs its argv (no shell) in its own container, with the chain's workdir, env (values
//   by name, never on a command line), cache mounts (one host directory per cache name) and no
//   network at all unless it binds services; its exit code is checked against `expect`, and
//   a failure is the engine's EXEC_ERROR with the last 100 KiB of each stream, truncated as the
//   engine truncates them; an executable that cannot start is an error whatever `expect` says;
// - services run as containers on an internal network under their alias, and the exec waits
//   until each exposed port accepts connections, or fails when the service exits or never does;
// - an identical chain prefix (by content: files, argv, env, mounts) runs once per process, as
//   the engine's cache would serve it.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import picomatch from "picomatch";
import { docker, dockerOk, imageEnv, localImageFor } from "./docker.ts";

export class GraphQLFailure extends Error {
  constructor(
    message: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** engineutil.MaxExecErrorOutputBytes and TruncationMessage. */
export const MAX_EXEC_ERROR_OUTPUT = 100 * 1024;
const truncated = (text: string): string => {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length < MAX_EXEC_ERROR_OUTPUT) return text;
  const kept = bytes.subarray(bytes.length - MAX_EXEC_ERROR_OUTPUT);
  const mark = Buffer.from(`[omitting ${bytes.length - MAX_EXEC_ERROR_OUTPUT} bytes]...`);
  mark.copy(kept);
  return kept.toString("utf8");
};

// --- directories -------------------------------------------------------------------------------

export type Layer =
  /** A directory on the host: an upload (ignore patterns applied) or a snapshot read back. */
  | { kind: "host"; root: string; exclude?: string[] }
  | { kind: "file"; path: string; contents: string }
  /** Another directory seen through include/exclude filters: filters narrow, never replace. */
  | { kind: "view"; dir: DirState; include?: string[]; exclude?: string[] };
export type DirState = { layers: Layer[]; digest?: string };
export type Entry = { host?: string; contents?: string };

/**
 * An upload's ignore patterns as the engine's file sync applies them (.dockerignore rules): in
 * order, the last pattern that matches a path or one of its parents decides, and `!` re-includes.
 * An excluded directory is still entered when a `!` pattern names something inside it.
 */
function excluder(patterns: string[]) {
  const rules = patterns.map((p) => ({
    negate: p.startsWith("!"),
    body: p.replace(/^!/, ""),
    match: picomatch(p.replace(/^!/, ""), { dot: true }),
  }));
  const excluded = (path: string) => {
    const parts = path.split("/");
    let verdict = false;
    for (const rule of rules) {
      const hit = parts.some((_, i) => rule.match(parts.slice(0, i + 1).join("/")));
      if (hit) verdict = !rule.negate;
    }
    return verdict;
  };
  const enter = (dir: string) =>
    !excluded(dir) || rules.some((r) => r.negate && r.body.startsWith(`${dir}/`));
  return { excluded, enter };
}

function listHost(root: string, exclude: string[]): Map<string, Entry> {
  const { excluded, enter } = excluder(exclude);
  const out = new Map<string, Entry>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (enter(path)) walk(path);
      } else if (entry.isFile() && !excluded(path)) out.set(path, { host: join(root, path) });
    }
  };
  walk("");
  return out;
}

/** Every file of a directory, later layers over earlier ones. */
export function listDir(dir: DirState): Map<string, Entry> {
  const files = new Map<string, Entry>();
  for (const layer of dir.layers) {
    if (layer.kind === "file") files.set(layer.path, { contents: layer.contents });
    else if (layer.kind === "host")
      for (const [p, e] of listHost(layer.root, layer.exclude ?? [])) files.set(p, e);
    else {
      const include = layer.include?.length ? picomatch(layer.include, { dot: true }) : () => true;
      const exclude = picomatch(layer.exclude ?? [], { dot: true });
      for (const [p, e] of listDir(layer.dir)) if (include(p) && !exclude(p)) files.set(p, e);
    }
  }
  return files;
}

/** The content of a directory as one hash: paths, modes and bytes, as the engine keys it. */
export function dirDigest(dir: DirState): string {
  if (dir.digest) return dir.digest;
  const hash = createHash("sha256");
  for (const [path, entry] of [...listDir(dir)].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${path}\0`);
    if (entry.host) {
      hash.update(`${statSync(entry.host).mode}\0`);
      hash.update(readFileSync(entry.host));
    } else hash.update(entry.contents ?? "");
    hash.update("\0");
  }
  dir.digest = hash.digest("hex");
  return dir.digest;
}

// --- containers --------------------------------------------------------------------------------

export type Expect = "SUCCESS" | "ANY" | "FAILURE";
export type Cache = { path: string; name: string };
export type Binding = { alias: string; service: ContainerState };

type CopyStep = { kind: "copy"; path: string; dir: DirState; key: string };
type ExecStep = {
  kind: "exec";
  argv: string[];
  expect: Expect;
  workdir: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
  caches: Cache[];
  bindings: Binding[];
  key: string;
};
type Step = CopyStep | ExecStep;

export type ContainerState = {
  address?: string;
  image?: string;
  imageEnv: Record<string, string>;
  steps: Step[];
  workdir: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
  caches: Cache[];
  bindings: Binding[];
  ports: number[];
  defaultArgs?: string[];
  labels: Record<string, string>;
  /** The content key of the chain so far. */
  key: string;
};

export const emptyContainer = (): ContainerState => ({
  imageEnv: {},
  steps: [],
  workdir: "/",
  env: {},
  secrets: {},
  caches: [],
  bindings: [],
  ports: [],
  labels: {},
  key: "scratch",
});

const keyOf = (...parts: unknown[]) => createHash("sha256").update(JSON.stringify(parts)).digest("hex");

/** `from`: only an image built for exactly this reference. */
export async function fromAddress(address: string, missing: string[]): Promise<ContainerState> {
  const image = missing.includes(address) ? undefined : await localImageFor(address);
  if (!image) {
    throw new GraphQLFailure(
      `failed to resolve source metadata for ${address}: not found (the engine stand-in has only the images .ci/images builds)`,
    );
  }
  return {
    ...emptyContainer(),
    address,
    image,
    imageEnv: await imageEnv(image),
    key: keyOf("from", address, image),
  };
}

export function withCopy(ctr: ContainerState, path: string, dir: DirState): ContainerState {
  const key = keyOf(ctr.key, "copy", path, dirDigest(dir));
  return { ...ctr, steps: [...ctr.steps, { kind: "copy", path, dir, key }], key };
}

export function withExec(ctr: ContainerState, argv: string[], expect: Expect): ContainerState {
  const step: Omit<ExecStep, "key"> = {
    kind: "exec",
    argv,
    expect,
    workdir: ctr.workdir,
    env: ctr.env,
    secrets: ctr.secrets,
    caches: ctr.caches,
    bindings: ctr.bindings,
  };
  const key = keyOf(ctr.key, "exec", {
    ...step,
    secrets: Object.keys(ctr.secrets),
    bindings: ctr.bindings.map((b) => [b.alias, b.service.key]),
  });
  return { ...ctr, steps: [...ctr.steps, { ...step, key }], key };
}

/** `${NAME}` and `$NAME` from the container's environment, as `expand: true` does. */
export function expand(value: string, ctr: ContainerState): string {
  const env = { ...ctr.imageEnv, ...ctr.env };
  return value.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? "",
  );
}

export type ExecOutcome = { exitCode: number; stdout: string; stderr: string };
export type ExecRecord = {
  image: string;
  workdir: string;
  argv: string[];
  expect: Expect;
  /** For `bun install`: every file copied below its working directory before it ran. */
  visible?: string[];
  key: string;
  /** Served from an earlier identical chain instead of run again. */
  cached: boolean;
};

/** What one function call brings to an evaluation: where its execs are recorded, its limits. */
export type Call = { execs: ExecRecord[]; serviceTimeoutMs: number };

type Snapshot = {
  /** The container the step ran in (stopped), to read from and to commit. */
  container: string;
  outcome?: ExecOutcome;
  image: () => Promise<string>;
};

const accepted = (expect: Expect, code: number) =>
  expect === "ANY" || (expect === "SUCCESS" ? code === 0 : code !== 0);

/**
 * One per test process: the engine's cache outlives a function call, so an identical chain
 * prefix is served from the first run. Everything it made is removed at exit.
 */
export class Replay {
  private readonly root = mkdtempSync(join(tmpdir(), "engine-replay-"));
  private readonly snapshots = new Map<string, Promise<Snapshot>>();
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();

  constructor(private readonly seedCaches: Record<string, string>) {}

  cleanup(): void {
    const ids = [...this.containers];
    if (ids.length)
      Bun.spawnSync(["docker", "rm", "-f", "-v", ...ids], { stdout: "ignore", stderr: "ignore" });
    const images = [...this.images];
    if (images.length)
      Bun.spawnSync(["docker", "rmi", "-f", ...images], { stdout: "ignore", stderr: "ignore" });
    rmSync(this.root, { recursive: true, force: true });
  }

  /** A cache volume: a host directory per name, seeded (hard links) where the tests say so. */
  private cacheDir(name: string): string {
    const dir = join(this.root, "caches", createHash("sha256").update(name).digest("hex").slice(0, 16));
    if (!statSync(dir, { throwIfNoEntry: false })) {
      mkdirSync(dirname(dir), { recursive: true });
      const seed = this.seedCaches[name];
      if (seed && statSync(seed, { throwIfNoEntry: false })) {
        const r = Bun.spawnSync(["cp", "-al", seed, dir]);
        if (r.exitCode !== 0) throw new Error(`could not seed cache ${name}: ${r.stderr.toString()}`);
      } else mkdirSync(dir);
    }
    return dir;
  }

  /** Runs the chain (each step once per process) and returns what its last step left. */
  async evaluate(ctr: ContainerState, call: Call): Promise<Snapshot> {
    if (!ctr.image) throw new GraphQLFailure("no image: the container was never given one with from()");
    const image = ctr.image;
    let prev: Snapshot | undefined;
    let pending: CopyStep[] = [];
    for (const [i, step] of ctr.steps.entries()) {
      if (step.kind === "copy") {
        pending.push(step);
        // Copies run in the container of the exec that follows them; trailing ones get their own.
        if (i < ctr.steps.length - 1) continue;
      }
      const exec = step.kind === "exec" ? step : undefined;
      if (exec) this.record(ctr, i, exec, call.execs);
      const copies = pending;
      pending = [];
      const base = prev;
      let snap = this.snapshots.get(step.key);
      if (!snap) {
        snap = this.run(base ? await base.image() : image, copies, exec, call);
        this.snapshots.set(step.key, snap);
      }
      prev = await snap;
      if (exec && prev.outcome && !accepted(exec.expect, prev.outcome.exitCode)) {
        const { exitCode, stdout, stderr } = prev.outcome;
        throw new GraphQLFailure(
          `process "${exec.argv.join(" ")}" did not complete successfully: exit code: ${exitCode}`,
          {
            _type: "EXEC_ERROR",
            cmd: exec.argv,
            exitCode,
            stdout: truncated(stdout),
            stderr: truncated(stderr),
          },
        );
      }
    }
    if (prev) return prev;
    const container = await this.create(image, [], "/");
    return { container, image: async () => image };
  }

  private record(ctr: ContainerState, index: number, exec: ExecStep, recording: ExecRecord[]): void {
    if (recording.some((r) => r.key === exec.key)) return;
    const visible =
      exec.argv[1] === "install"
        ? [
            ...new Set(
              ctr.steps
                .slice(0, index)
                .filter((s): s is CopyStep => s.kind === "copy")
                .flatMap((s) => [...listDir(s.dir).keys()].map((f) => posix.join(s.path, f)))
                .filter((f) => f.startsWith(`${exec.workdir}/`))
                .map((f) => f.slice(exec.workdir.length + 1)),
            ),
          ].sort()
        : undefined;
    recording.push({
      image: ctr.address ?? "",
      workdir: exec.workdir,
      argv: exec.argv,
      expect: exec.expect,
      key: exec.key,
      cached: this.snapshots.has(exec.key),
      ...(visible && { visible }),
    });
  }

  private async create(image: string, argv: string[], workdir: string, exec?: ExecStep, network = "none") {
    const env: Record<string, string> = { ...exec?.env, ...exec?.secrets };
    const args = ["create", "--network", network, "--workdir", workdir];
    for (const name of Object.keys(env)) args.push("--env", name);
    for (const cache of exec?.caches ?? []) {
      args.push("--mount", `type=bind,src=${this.cacheDir(cache.name)},dst=${cache.path}`);
    }
    // Never started when it only receives copies: the command is a placeholder.
    const [cmd, ...rest] = argv.length ? argv : ["/standin-never-run"];
    args.push("--entrypoint", cmd!, image, ...rest);
    const id = await dockerOk(args, "creating a container", env);
    this.containers.add(id);
    return id;
  }

  private async run(
    image: string,
    copies: CopyStep[],
    exec: ExecStep | undefined,
    call: Call,
  ): Promise<Snapshot> {
    const network = exec?.bindings.length ? await this.startServices(exec.bindings, call) : undefined;
    try {
      const id = await this.create(image, exec?.argv ?? [], exec?.workdir ?? "/", exec, network?.name);
      for (const copy of copies) await this.copyIn(id, copy);
      let committed: Promise<string> | undefined;
      const snapshot: Snapshot = {
        container: id,
        image: () => {
          committed ??= dockerOk(["commit", id], "committing a step").then((img) => {
            this.images.add(img);
            return img;
          });
          return committed;
        },
      };
      if (!exec) return snapshot;
      const env = { ...exec.env, ...exec.secrets };
      const run = await docker(["start", "--attach", id], { env });
      const state = await dockerOk(["inspect", "--format", "{{json .State}}", id], "inspecting an exec");
      const { ExitCode, Error: startError } = JSON.parse(state) as { ExitCode: number; Error: string };
      if (startError) {
        throw new GraphQLFailure(`failed to start process "${exec.argv.join(" ")}": ${startError}`);
      }
      snapshot.outcome = { exitCode: ExitCode, stdout: run.stdout, stderr: run.stderr };
      return snapshot;
    } finally {
      if (network) await network.stop();
    }
  }

  /** A directory into the container at its path, through a tar of hard links (modes and owners kept). */
  private async copyIn(id: string, copy: CopyStep): Promise<void> {
    const stage = mkdtempSync(join(this.root, "stage-"));
    try {
      const top = copy.path.replace(/^\/+/, "");
      for (const [rel, entry] of listDir(copy.dir)) {
        const to = join(stage, top, rel);
        mkdirSync(dirname(to), { recursive: true });
        if (entry.contents !== undefined) writeFileSync(to, entry.contents);
        else {
          try {
            linkSync(entry.host!, to);
          } catch {
            copyFileSync(entry.host!, to);
          }
        }
      }
      mkdirSync(join(stage, top), { recursive: true });
      const first = top ? top.split("/")[0]! : ".";
      const tar = spawn("tar", ["-C", stage, "--numeric-owner", "-c", first], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const r = await docker(["cp", "--archive", "-", `${id}:/`], { stdin: tar.stdout });
      if (r.code !== 0) throw new GraphQLFailure(`copying into ${copy.path}: ${r.stderr.trim()}`);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }

  /** `directory(path)`: what the container holds there, read back into a host directory. */
  async readDirectory(snapshot: Snapshot, path: string): Promise<string> {
    const into = mkdtempSync(join(this.root, "dir-"));
    const cp = spawn("docker", ["cp", `${snapshot.container}:${path}`, "-"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tar = spawn("tar", ["-x", "-C", into], { stdio: ["pipe", "ignore", "pipe"] });
    cp.stdout.pipe(tar.stdin);
    const err: Buffer[] = [];
    cp.stderr.on("data", (b: Buffer) => err.push(b));
    const [code] = await Promise.all([
      new Promise<number>((r) => cp.on("close", (c) => r(c ?? 1))),
      new Promise<number>((r) => tar.on("close", (c) => r(c ?? 1))),
    ]);
    if (code !== 0) {
      const message = Buffer.concat(err).toString().trim();
      throw new GraphQLFailure(`${path}: no such file or directory (${message})`);
    }
    // `docker cp <dir> -` names every entry under the directory's base name.
    const read = join(into, posix.basename(path));
    if (!statSync(read, { throwIfNoEntry: false })?.isDirectory())
      throw new GraphQLFailure(`${path}: not a directory`);
    return read;
  }

  /** Each bound service running under its alias on a network of its own, listening before the exec. */
  private async startServices(bindings: Binding[], call: Call) {
    const name = `standin-${randomUUID().slice(0, 12)}`;
    await dockerOk(["network", "create", "--internal", name], "creating a service network");
    const started: string[] = [];
    const stop = async () => {
      if (started.length) await docker(["rm", "-f", ...started]);
      await docker(["network", "rm", name]);
    };
    try {
      for (const { alias, service } of bindings) {
        const snapshot = await this.evaluate(service, { ...call, execs: [] });
        const env = { ...service.env, ...service.secrets };
        const args = [
          "run",
          "--detach",
          "--network",
          name,
          "--network-alias",
          alias,
          "--workdir",
          service.workdir,
        ];
        for (const key of Object.keys(env)) args.push("--env", key);
        // The committed step carries the placeholder entrypoint of its exec container; the
        // stand-in's images have no entrypoint of their own, so the default args run as given.
        args.push("--entrypoint", "", await snapshot.image(), ...(service.defaultArgs ?? []));
        const id = await dockerOk(args, `starting service ${alias}`, env);
        started.push(id);
        this.containers.add(id);
        await this.waitListening(id, alias, service.ports, call.serviceTimeoutMs);
      }
      return { name, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  }

  private async waitListening(id: string, alias: string, ports: number[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const port of ports) {
      for (;;) {
        const state = JSON.parse(
          await dockerOk(["inspect", "--format", "{{json .}}", id], `inspecting service ${alias}`),
        ) as {
          State: { Running: boolean; ExitCode: number };
          NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
        };
        if (!state.State.Running) {
          const logs = await docker(["logs", "--tail", "20", id]);
          throw new GraphQLFailure(
            `start service ${alias}: the service exited ${state.State.ExitCode} before it listened on ${port}\n${logs.stdout}${logs.stderr}`,
          );
        }
        const ip = Object.values(state.NetworkSettings.Networks)[0]?.IPAddress;
        if (ip && (await accepts(ip, port))) break;
        if (Date.now() > deadline) {
          throw new GraphQLFailure(
            `start service ${alias}: port ${port} did not accept connections within ${timeoutMs / 1000}s`,
          );
        }
        await Bun.sleep(200);
      }
    }
  }
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
