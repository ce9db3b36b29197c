// A stand-in for a Dagger engine's session API, for running the module's functions the way the
// engine does, with no engine. It speaks what the TypeScript SDK sends: one GraphQL document per
// request, a single chain of fields (`{ a(x: 1) { b { c } } }`, objects passed as ids,
// `node(id:) { ... on T { … } }` to load them), over HTTP on 127.0.0.1 with basic auth.
//
// What it models:
// - the function call: parent name, name, arguments, returnValue / returnError;
// - directories: the function's source argument (its ignore patterns applied) and the module's
//   own code-generated source (runtime.ts) are real host directories; glob, entries and file
//   contents read them; include/exclude filters narrow one another;
// - containers: every chain is replayed for real in Docker (replay.ts): images `.ci/images`
//   built, real execs with their exit codes and output, directories read back, cache mounts,
//   services that really listen, the engine's exec errors and output limit. `publish` is
//   refused (no registry here) and recorded.
// What it cannot show is said in docs/architecture.md ("What is verified how").
import { readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { Kind, parse, valueFromASTUntyped, type FieldNode, type SelectionSetNode } from "graphql";
import picomatch from "picomatch";
import { atExit } from "../cleanup.ts";
import { SOURCE_IGNORE } from "../../../.dagger/src/source/view.ts";
import {
  emptyContainer,
  expand,
  fromAddress,
  GraphQLFailure,
  listDir,
  Replay,
  withCopy,
  withExec,
  type ContainerState,
  type DirState,
  type ExecRecord,
  type Expect,
  type Call,
  type Layer,
} from "./replay.ts";

export type { ExecRecord };

export type StandInOptions = {
  /** The Monorepo method called, e.g. "complianceCheck". */
  fn: string;
  /**
   * Arguments other than `source` (which is `sourceDir`), as the engine would pass them:
   * `{ file: hostPath }` is a File, `{ secret: value }` a Secret, anything else JSON.
   */
  args?: Record<string, unknown>;
  sourceDir: string;
  /** The module's code-generated source (runtime.ts), what `currentModule().source()` returns. */
  moduleDir: string;
  /** Image references a registry would not serve: `from` fails for them. */
  missingImages?: string[];
  /** How long a bound service may take to listen on its ports (30 s by default). */
  serviceTimeoutMs?: number;
};

export type Recording = {
  requests: number;
  images: string[];
  cacheVolumes: string[];
  execs: ExecRecord[];
  /** Every `publish` asked for: refused, since no registry is reachable here. */
  published: string[];
  /** When the function returned a Directory: its files (text, or their size past 1 MiB). */
  directory?: Record<string, string>;
  returned?: { kind: "value"; value: unknown } | { kind: "error"; message: string };
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

const argsKey = (args: Record<string, unknown>) => JSON.stringify(args);

/** Docker's state, shared by every stand-in of this process (the engine's cache outlives a call). */
let replay: Replay | undefined;
function sharedReplay(): Replay {
  if (!replay) {
    const bunCache = join(process.env.HOME ?? tmpdir(), ".bun", "install", "cache");
    // The module's bun cache volume starts with what this machine's bun already fetched, so
    // installs in containers need no network (they have none).
    replay = new Replay({ "bun-install-cache": bunCache });
    const made = replay;
    atExit(() => made.cleanup());
  }
  return replay;
}

export class EngineStandIn {
  readonly token = crypto.randomUUID();
  readonly recording: Recording = { requests: 0, images: [], cacheVolumes: [], execs: [], published: [] };
  private readonly objects = new Map<string, Obj>();
  private readonly replay = sharedReplay();
  private readonly call: Call;
  private server?: ReturnType<typeof Bun.serve>;
  private nextId = 0;

  constructor(private readonly opts: StandInOptions) {
    this.call = { execs: this.recording.execs, serviceTimeoutMs: opts.serviceTimeoutMs ?? 30_000 };
  }

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
        if (name === "source") {
          return this.dir(key, [
            { kind: "host", root: this.opts.moduleDir, exclude: ["node_modules", "**/node_modules"] },
          ]);
        }
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
        return { type: "Container", key, ctr: emptyContainer() };
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
            { kind: "host", root: this.opts.sourceDir, exclude: SOURCE_IGNORE },
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
      case "returnValue": {
        const value = JSON.parse(String(args.value)) as unknown;
        this.recording.returned = { kind: "value", value };
        const returned = typeof value === "string" ? this.objects.get(value) : undefined;
        if (returned?.type === "Directory") this.recording.directory = this.filesOf(returned.dir);
        return null;
      }
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
        // As the engine: directories too, with a trailing slash.
        const match = picomatch(String(args.pattern), { dot: true });
        const files = [...listDir(obj.dir).keys()];
        const dirs = new Set(
          files.flatMap((f) =>
            f
              .split("/")
              .slice(0, -1)
              .map((_, i, parts) => `${parts.slice(0, i + 1).join("/")}/`),
          ),
        );
        return [...files, ...dirs].filter((p) => match(p.replace(/\/$/, ""))).sort();
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

  private filesOf(dir: DirState): Record<string, string> {
    const files: Record<string, string> = {};
    for (const [path, entry] of listDir(dir)) {
      const size = entry.host ? statSync(entry.host).size : Buffer.byteLength(entry.contents ?? "");
      files[path] =
        size > 1 << 20 ? `<${size} bytes>` : (entry.contents ?? readFileSync(entry.host as string, "utf8"));
    }
    return files;
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
  ): unknown {
    const ctr = obj.ctr;
    const next = (state: ContainerState): Obj => ({ type: "Container", key, ctr: state });
    const at = (path: unknown) => posix.resolve(ctr.workdir, String(path));
    switch (name) {
      case "from": {
        const address = String(args.address);
        this.recording.images.push(address);
        return fromAddress(address, this.opts.missingImages ?? []).then(next);
      }
      case "withMountedCache": {
        const cache = this.lookup(args.cache);
        if (cache.type !== "CacheVolume") throw new GraphQLFailure("withMountedCache takes a CacheVolume");
        return next({ ...ctr, caches: [...ctr.caches, { path: at(args.path), name: cache.name }] });
      }
      case "withDirectory": {
        const source = this.lookup(args.source ?? args.directory);
        if (source.type !== "Directory") throw new GraphQLFailure("withDirectory takes a Directory");
        const view: DirState = {
          layers: [
            {
              kind: "view",
              dir: source.dir,
              include: args.include as string[] | undefined,
              exclude: args.exclude as string[] | undefined,
            },
          ],
        };
        return next(withCopy(ctr, at(args.path), view));
      }
      case "withNewFile": {
        const path = at(args.path);
        const file: DirState = {
          layers: [{ kind: "file", path: posix.basename(path), contents: String(args.contents) }],
        };
        return next(withCopy(ctr, posix.dirname(path), file));
      }
      case "withWorkdir":
        return next({ ...ctr, workdir: at(args.path) });
      case "withEnvVariable": {
        const value = args.expand === true ? expand(String(args.value), ctr) : String(args.value);
        return next({ ...ctr, env: { ...ctr.env, [String(args.name)]: value } });
      }
      case "withSecretVariable": {
        const secret = this.lookup(args.secret);
        if (secret.type !== "Secret") throw new GraphQLFailure("withSecretVariable takes a Secret");
        return next({ ...ctr, secrets: { ...ctr.secrets, [String(args.name)]: secret.value } });
      }
      case "withExec": {
        const expect = (args.expect as Expect | undefined) ?? "SUCCESS";
        return next(withExec(ctr, (args.args as string[]).map(String), expect));
      }
      case "withLabel":
        return next({ ...ctr, labels: { ...ctr.labels, [String(args.name)]: String(args.value) } });
      case "withExposedPort":
        return next({ ...ctr, ports: [...ctr.ports, Number(args.port)] });
      case "withDefaultArgs":
        return next({ ...ctr, defaultArgs: (args.args as string[]).map(String) });
      case "withServiceBinding": {
        const service = this.lookup(args.service);
        if (service.type !== "Service") throw new GraphQLFailure("withServiceBinding takes a Service");
        return next({
          ...ctr,
          bindings: [...ctr.bindings, { alias: String(args.alias), service: service.ctr }],
        });
      }
      case "withRegistryAuth":
        return next(ctr);
      case "asService":
        return { type: "Service", key, ctr };
      case "directory":
        return this.replay
          .evaluate(ctr, this.call)
          .then((snapshot) => this.replay.readDirectory(snapshot, at(args.path)))
          .then((root) => this.dir(key, [{ kind: "host", root }]));
      case "exitCode":
        return this.outcome(ctr).then((out) => out.exitCode);
      case "stdout":
        return this.outcome(ctr).then((out) => out.stdout);
      case "stderr":
        return this.outcome(ctr).then((out) => out.stderr);
      case "publish": {
        const address = String(args.address);
        return this.replay.evaluate(ctr, this.call).then(() => {
          this.recording.published.push(address);
          throw new GraphQLFailure(`publish ${address}: refused: the engine stand-in reaches no registry`);
        });
      }
    }
    throw new GraphQLFailure(`the stand-in does not know Container.${name}`);
  }

  /** The last exec's exit code and output; the engine's "no command" error when there is none. */
  private async outcome(ctr: ContainerState) {
    const last = ctr.steps.findLastIndex((s) => s.kind === "exec");
    if (last < 0) throw new GraphQLFailure("no command has been set");
    const snapshot = await this.replay.evaluate({ ...ctr, steps: ctr.steps.slice(0, last + 1) }, this.call);
    if (!snapshot.outcome) throw new GraphQLFailure("no command has been set");
    return snapshot.outcome;
  }

  private async sync(obj: Obj): Promise<string> {
    if (obj.type === "Container") await this.replay.evaluate(obj.ctr, this.call);
    return this.register(obj);
  }
}
