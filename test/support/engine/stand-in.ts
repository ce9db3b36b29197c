// A small stand-in for a Dagger engine's session API, for running the module's functions the
// way the engine does, with no engine. It speaks what the TypeScript SDK sends: one GraphQL
// document per request, a single chain of fields (`{ a(x: 1) { b { c } } }`, objects passed as
// ids, `node(id:) { ... on T { … } }` to load them), over HTTP on 127.0.0.1 with basic auth.
//
// What it models, and no more:
// - the function call: parent name, name, arguments, returnValue / returnError;
// - directories: the function's source argument and the module's own source are real host
//   directories; glob and file contents read them;
// - containers: images, mounts, cache volumes, env and execs are recorded. An exec of the
//   module's own code (`bun /opt/monorepo-ci/…`) really runs, on the host, with container paths
//   mapped to the directories mounted there; every other exec answers exit 0 with no output
//   (a test run with coverage prints a fully covered table), unless a fault rule says
//   otherwise. An exec that fails without `expect: ANY`,
//   or an image the test marks missing, is a GraphQL error as the engine returns it.
// What it cannot show is said in the README ("What is verified how").
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import picomatch from "picomatch";
import { Kind, parse, valueFromASTUntyped, type FieldNode, type SelectionSetNode } from "graphql";
import { SOURCE_IGNORE } from "../../../.dagger/src/source/view.ts";
import { MODULE } from "../../../.dagger/src/executors/dagger.ts";
import { capture } from "../process.ts";

/** What `bun test --coverage` prints at the end, for a fully covered package. */
export const COVERAGE_TABLE = [
  "-----------|---------|---------|-------------------",
  "File       | % Funcs | % Lines | Uncovered Line #s",
  "-----------|---------|---------|-------------------",
  "All files  |  100.00 |  100.00 |",
  "-----------|---------|---------|-------------------",
  "",
].join("\n");

export type Fault = { argv: RegExp; exitCode: number; stdout?: string; stderr?: string };

export type StandInOptions = {
  /** The Monorepo method called, e.g. "complianceCheck". */
  fn: string;
  /**
   * Arguments other than `source` (which is `sourceDir`), as the engine would pass them:
   * `{ file: hostPath }` is a File, `{ secret: value }` a Secret, anything else JSON.
   */
  args?: Record<string, unknown>;
  sourceDir: string;
  moduleDir: string;
  faults?: Fault[];
  missingImages?: string[];
};

export type ExecRecord = {
  image: string;
  workdir: string;
  argv: string[];
  expectAny: boolean;
  /** For `bun install`: every file visible below its working directory at that moment. */
  visible?: string[];
  /** The whole chain that led to this exec, as a cache key: equal keys, one engine exec. */
  key: string;
};

export type Recording = {
  requests: number;
  images: string[];
  cacheVolumes: string[];
  execs: ExecRecord[];
  returned?: { kind: "value"; value: unknown } | { kind: "error"; message: string };
};

type Layer =
  | { kind: "host"; root: string; include?: string[]; exclude?: string[]; ignore?: string[] }
  | { kind: "file"; path: string; contents: string };
type DirState = { layers: Layer[] };
type Mount = { path: string; dir: DirState };
type ContainerState = {
  image?: string;
  mounts: Mount[];
  workdir: string;
  env: Record<string, string>;
  /** Each exec sees the mounts made before it, not the ones added after. */
  execs: {
    argv: string[];
    expectAny: boolean;
    workdir: string;
    env: Record<string, string>;
    mounts: Mount[];
    /** The chain up to this exec: the engine runs an exec once per distinct chain. */
    key: string;
  }[];
};
type Obj =
  | { type: "Query"; key: string }
  | { type: "FunctionCall"; key: string }
  | { type: "FunctionCallArgValue"; key: string; name: string; value: string }
  | { type: "CurrentModule"; key: string }
  | { type: "Directory"; key: string; dir: DirState }
  | { type: "File"; key: string; dir: DirState; path: string }
  | { type: "Container"; key: string; ctr: ContainerState }
  | { type: "CacheVolume"; key: string; name: string }
  | { type: "Service"; key: string; ctr: ContainerState }
  | { type: "Secret"; key: string; value: string }
  | { type: "Error"; key: string; message: string };

type ExecOutcome = { exitCode: number; stdout: string; stderr: string };

class GraphQLFailure extends Error {
  constructor(
    message: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const argsKey = (args: Record<string, unknown>) => JSON.stringify(args);

/** Walks a host directory as the engine loads a `Directory`: filtered, files only, sorted. */
function listLayer(layer: Layer & { kind: "host" }): string[] {
  const include = layer.include?.length ? picomatch(layer.include, { dot: true }) : () => true;
  const exclude = picomatch([...(layer.exclude ?? []), ...(layer.ignore ?? [])], { dot: true });
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(layer.root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (exclude(path)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && include(path)) out.push(path);
    }
  };
  walk("");
  return out;
}

function listDir(dir: DirState): Map<string, { host?: string; contents?: string }> {
  const files = new Map<string, { host?: string; contents?: string }>();
  for (const layer of dir.layers) {
    if (layer.kind === "file") files.set(layer.path, { contents: layer.contents });
    else for (const f of listLayer(layer)) files.set(f, { host: join(layer.root, f) });
  }
  return files;
}

export class EngineStandIn {
  readonly token = crypto.randomUUID();
  readonly recording: Recording = { requests: 0, images: [], cacheVolumes: [], execs: [] };
  private readonly objects = new Map<string, Obj>();
  private readonly execCache = new Map<string, Promise<ExecOutcome>>();
  private readonly runCache = new Map<string, Promise<ExecOutcome>>();
  private readonly scratchRoot = mkdtempSync(join(tmpdir(), "engine-stand-in-"));
  private server?: ReturnType<typeof Bun.serve>;
  private nextId = 0;

  constructor(private readonly opts: StandInOptions) {}

  start(): number {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => this.handle(req),
    });
    return this.server.port ?? 0;
  }

  stop(): void {
    this.server?.stop(true);
    rmSync(this.scratchRoot, { recursive: true, force: true });
  }

  private async handle(req: Request): Promise<Response> {
    const expected = `Basic ${Buffer.from(`${this.token}:`).toString("base64")}`;
    if (req.headers.get("authorization") !== expected) return new Response("unauthorized", { status: 401 });
    const { query } = (await req.json()) as { query: string };
    this.recording.requests++;
    try {
      return Response.json({ data: await this.execute(query) });
    } catch (error) {
      const failure = error instanceof GraphQLFailure ? error : new GraphQLFailure(String(error));
      return Response.json({
        data: null,
        errors: [{ message: failure.message, path: [], extensions: failure.extensions ?? {} }],
      });
    }
  }

  /** Evaluates the one chain of fields a document holds and nests the answer the same way. */
  private async execute(query: string): Promise<unknown> {
    const doc = parse(query);
    const op = doc.definitions[0];
    if (op?.kind !== Kind.OPERATION_DEFINITION) throw new GraphQLFailure("expected one operation");
    return this.select({ type: "Query", key: "" }, op.selectionSet);
  }

  private async select(obj: Obj, set: SelectionSetNode): Promise<Record<string, unknown>> {
    const [sel] = set.selections;
    if (!sel || set.selections.length !== 1) throw new GraphQLFailure("the SDK selects one field a level");
    if (sel.kind === Kind.INLINE_FRAGMENT) return this.select(obj, sel.selectionSet);
    if (sel.kind !== Kind.FIELD) throw new GraphQLFailure("unexpected selection");
    const value = await this.field(obj, sel);
    return { [sel.name.value]: await this.nest(value, sel) };
  }

  private async nest(value: unknown, sel: FieldNode): Promise<unknown> {
    if (!sel.selectionSet) return value;
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.select(v as Obj, sel.selectionSet!)));
    return this.select(value as Obj, sel.selectionSet);
  }

  private field(obj: Obj, sel: FieldNode): unknown {
    const args: Record<string, unknown> = Object.fromEntries(
      (sel.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
    );
    const name = sel.name.value;
    const key = `${obj.key}/${name}${argsKey(this.keyed(args))}`;
    if (name === "id") return this.register(obj);
    if (name === "sync") return this.sync(obj);
    switch (obj.type) {
      case "Query":
        return this.query(name, args, key);
      case "FunctionCall":
        return this.functionCall(name, args, key);
      case "FunctionCallArgValue":
        return name === "name" ? obj.name : obj.value;
      case "CurrentModule":
        if (name === "name") return "monorepo";
        if (name === "source") return this.dir(key, [{ kind: "host", root: this.opts.moduleDir }]);
        break;
      case "Error":
        if (name === "withValue") return { ...obj, key };
        break;
      case "CacheVolume":
        break;
      case "Directory":
        return this.directory(obj, name, args, key);
      case "File":
        if (name === "contents") return this.contents(obj);
        break;
      case "Service":
        break;
      case "Secret":
        if (name === "plaintext") return obj.value;
        break;
      case "Container":
        return this.container(obj, name, args, key);
    }
    throw new GraphQLFailure(`the stand-in does not know ${obj.type}.${name}`);
  }

  /** Ids in arguments are replaced by the key of the object they name, so keys compare chains. */
  private keyed(args: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(args).map(([k, v]) => [
        k,
        typeof v === "string" && this.objects.has(v) ? this.lookup(v).key : v,
      ]),
    );
  }

  private register(obj: Obj): string {
    const id = `stand-in-id-${this.nextId++}`;
    this.objects.set(id, obj);
    return id;
  }

  private lookup(id: unknown): Obj {
    const obj = typeof id === "string" ? this.objects.get(id) : undefined;
    if (!obj) throw new GraphQLFailure(`unknown id ${String(id)}`);
    return obj;
  }

  private dir(key: string, layers: Layer[]): Obj {
    return { type: "Directory", key, dir: { layers } };
  }

  private query(name: string, args: Record<string, unknown>, key: string): unknown {
    switch (name) {
      case "currentFunctionCall":
        return { type: "FunctionCall", key };
      case "currentModule":
        return { type: "CurrentModule", key };
      case "node":
        return this.lookup(args.id);
      case "container":
        return { type: "Container", key, ctr: { mounts: [], workdir: "/", env: {}, execs: [] } };
      case "directory":
        return this.dir(key, []);
      case "cacheVolume":
        this.recording.cacheVolumes.push(String(args.key));
        return { type: "CacheVolume", key, name: String(args.key) };
      case "error":
        return { type: "Error", key, message: String(args.message) };
    }
    throw new GraphQLFailure(`the stand-in does not know Query.${name}`);
  }

  private functionCall(name: string, args: Record<string, unknown>, key: string): unknown {
    switch (name) {
      case "parentName":
        return "Monorepo";
      case "name":
        return this.opts.fn;
      case "parent":
        return "{}";
      case "inputArgs": {
        const source = this.register(
          this.dir(`source(${this.opts.sourceDir})`, [
            { kind: "host", root: this.opts.sourceDir, ignore: SOURCE_IGNORE },
          ]),
        );
        const all: Record<string, unknown> = { source };
        for (const [argName, value] of Object.entries(this.opts.args ?? {})) {
          all[argName] = this.argument(argName, value);
        }
        return Object.entries(all).map(([argName, value], i): Obj => ({
          type: "FunctionCallArgValue",
          key: `${key}[${i}]`,
          name: argName,
          value: JSON.stringify(value),
        }));
      }
      case "returnValue":
        this.recording.returned = { kind: "value", value: JSON.parse(String(args.value)) };
        return null;
      case "returnError": {
        const error = this.lookup(args.error);
        this.recording.returned = { kind: "error", message: error.type === "Error" ? error.message : "?" };
        return null;
      }
    }
    throw new GraphQLFailure(`the stand-in does not know FunctionCall.${name}`);
  }

  /** A File or Secret argument becomes an object passed by id, as the engine passes them. */
  private argument(name: string, value: unknown): unknown {
    if (value && typeof value === "object" && "file" in value) {
      const path = String(value.file);
      const dir: DirState = { layers: [{ kind: "host", root: posix.dirname(path) }] };
      return this.register({ type: "File", key: `arg:${name}`, dir, path: posix.basename(path) });
    }
    if (value && typeof value === "object" && "secret" in value) {
      return this.register({ type: "Secret", key: `secret:${name}`, value: String(value.secret) });
    }
    return value;
  }

  private directory(
    obj: Obj & { type: "Directory" },
    name: string,
    args: Record<string, unknown>,
    key: string,
  ) {
    switch (name) {
      case "glob": {
        const match = picomatch(String(args.pattern), { dot: true });
        return [...listDir(obj.dir).keys()].filter((f) => match(f)).sort();
      }
      case "file":
        return { type: "File", key, dir: obj.dir, path: String(args.path) };
      case "withNewFile":
        return this.dir(key, [
          ...obj.dir.layers,
          { kind: "file", path: String(args.path), contents: String(args.contents) },
        ]);
      case "entries":
        return [...new Set([...listDir(obj.dir).keys()].map((f) => f.split("/")[0]))].sort();
    }
    throw new GraphQLFailure(`the stand-in does not know Directory.${name}`);
  }

  private contents(file: Obj & { type: "File" }): string {
    const entry = listDir(file.dir).get(file.path);
    if (!entry) throw new GraphQLFailure(`${file.path}: no such file or directory`);
    return entry.contents ?? readFileSync(entry.host as string, "utf8");
  }

  private container(
    obj: Obj & { type: "Container" },
    name: string,
    args: Record<string, unknown>,
    key: string,
  ) {
    const ctr = obj.ctr;
    const next = (change: Partial<ContainerState>): Obj => ({
      type: "Container",
      key,
      ctr: { ...ctr, ...change },
    });
    const at = (path: unknown) => posix.resolve(ctr.workdir, String(path));
    switch (name) {
      case "from":
        this.recording.images.push(String(args.address));
        return next({ image: String(args.address) });
      case "withMountedCache":
        return next({});
      case "withDirectory": {
        const source = this.lookup(args.source ?? args.directory);
        if (source.type !== "Directory") throw new GraphQLFailure("withDirectory takes a Directory");
        const filter = {
          include: args.include as string[] | undefined,
          exclude: args.exclude as string[] | undefined,
        };
        const layers = source.dir.layers.map((l): Layer =>
          l.kind === "host"
            ? {
                ...l,
                include: filter.include ?? l.include,
                exclude: [...(l.exclude ?? []), ...(filter.exclude ?? [])],
              }
            : l,
        );
        return next({ mounts: [...ctr.mounts, { path: at(args.path), dir: { layers } }] });
      }
      case "withNewFile":
        return next({
          mounts: [
            ...ctr.mounts,
            {
              path: posix.dirname(at(args.path)),
              dir: {
                layers: [
                  { kind: "file", path: posix.basename(at(args.path)), contents: String(args.contents) },
                ],
              },
            },
          ],
        });
      case "withWorkdir":
        return next({ workdir: at(args.path) });
      case "withEnvVariable":
        return next({ env: { ...ctr.env, [String(args.name)]: String(args.value) } });
      case "withExec":
        return next({
          execs: [
            ...ctr.execs,
            {
              argv: args.args as string[],
              expectAny: args.expect === "ANY",
              workdir: ctr.workdir,
              env: ctr.env,
              mounts: ctr.mounts,
              key,
            },
          ],
        });
      case "withLabel":
      case "withExposedPort":
      case "withDefaultArgs":
      case "withServiceBinding":
      case "withRegistryAuth":
      case "withSecretVariable":
        return next({});
      case "asService":
        return { type: "Service", key, ctr };
      case "directory":
        return this.run(obj).then(() =>
          this.dir(key, [{ kind: "host", root: join(this.scratchRoot, at(args.path)) }]),
        );
      case "exitCode":
        return this.run(obj).then((out) => out.exitCode);
      case "stdout":
        return this.run(obj).then((out) => out.stdout);
      case "stderr":
        return this.run(obj).then((out) => out.stderr);
      case "publish":
        return this.run(obj).then(() => `${String(args.address)}@sha256:${"0".repeat(64)}`);
    }
    throw new GraphQLFailure(`the stand-in does not know Container.${name}`);
  }

  private async sync(obj: Obj): Promise<string> {
    if (obj.type === "Container") await this.run(obj);
    return this.register(obj);
  }

  /** Runs a container's execs in order; each exec once per chain, as the engine's cache would. */
  private run(obj: Obj & { type: "Container" }): Promise<ExecOutcome> {
    let cached = this.runCache.get(obj.key);
    if (!cached) {
      cached = this.runUncached(obj);
      this.runCache.set(obj.key, cached);
    }
    return cached;
  }

  private async runUncached(obj: Obj & { type: "Container" }): Promise<ExecOutcome> {
    const { ctr } = obj;
    const image = ctr.image;
    if (!image) throw new GraphQLFailure("no image: the container was never given one with from()");
    if (this.opts.missingImages?.includes(image)) {
      throw new GraphQLFailure(`failed to resolve source metadata for ${image}: not found`);
    }
    let out: ExecOutcome = { exitCode: 0, stdout: "", stderr: "" };
    for (const [i, exec] of ctr.execs.entries()) {
      const last = i === ctr.execs.length - 1;
      let once = this.execCache.get(exec.key);
      if (!once) {
        this.recording.execs.push({
          image,
          workdir: exec.workdir,
          argv: exec.argv,
          expectAny: exec.expectAny,
          key: exec.key,
          ...(exec.argv[1] === "install" && { visible: this.visible(exec.mounts, exec.workdir) }),
        });
        once = this.exec(exec);
        this.execCache.set(exec.key, once);
      }
      out = await once;
      if (out.exitCode !== 0 && !(last && exec.expectAny)) {
        throw new GraphQLFailure(
          `process "${exec.argv.join(" ")}" did not complete successfully: exit code: ${out.exitCode}`,
          {
            _type: "EXEC_ERROR",
            cmd: exec.argv,
            exitCode: out.exitCode,
            stdout: out.stdout,
            stderr: out.stderr,
          },
        );
      }
    }
    return out;
  }

  /** Files visible below `dir` in the container: every mount that covers it, later ones on top. */
  private visible(mounts: Mount[], dir: string): string[] {
    const files = new Set<string>();
    for (const mount of mounts) {
      for (const f of listDir(mount.dir).keys()) {
        const full = posix.join(mount.path, f);
        if (full.startsWith(`${dir}/`)) files.add(full.slice(dir.length + 1));
      }
    }
    return [...files].sort();
  }

  /**
   * The host path behind a container path: the deepest host-directory mount, else the one
   * scratch directory every container shares for what execs write outside their mounts.
   */
  private hostPath(mounts: Mount[], path: string): string {
    const covering = mounts
      .filter((m) => path === m.path || path.startsWith(`${m.path}/`))
      .filter((m) => m.dir.layers.some((l) => l.kind === "host"))
      .sort((a, b) => a.path.length - b.path.length)
      .at(-1);
    if (!covering) return join(this.scratchRoot, path);
    const layer = covering.dir.layers.filter((l) => l.kind === "host").at(-1) as Layer & { kind: "host" };
    return join(layer.root, path.slice(covering.path.length));
  }

  private async exec(exec: ContainerState["execs"][number]): Promise<ExecOutcome> {
    const line = exec.argv.join(" ");
    const fault = this.opts.faults?.find((f) => f.argv.test(line));
    if (fault) return { exitCode: fault.exitCode, stdout: fault.stdout ?? "", stderr: fault.stderr ?? "" };
    const ours = exec.argv[0] === "bun" && exec.argv[1]?.startsWith(`${MODULE}/`);
    // A test run with bun's text coverage reporter prints its table: the one line of tool output
    // the stand-in models, since the module judges coverage from it (a test may fault it).
    if (!ours && exec.argv.includes("--coverage-reporter=text")) {
      return { exitCode: 0, stdout: COVERAGE_TABLE, stderr: "" };
    }
    if (!ours) return { exitCode: 0, stdout: "", stderr: "" };
    const map = (p: string) => (p.startsWith("/") ? this.hostPath(exec.mounts, p) : p);
    const cwd = map(exec.workdir);
    if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) mkdirSync(cwd, { recursive: true });
    return capture(["bun", ...exec.argv.slice(1).map(map)], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...exec.env },
    });
  }
}
