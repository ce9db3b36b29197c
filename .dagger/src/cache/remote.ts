import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { RemoteCacheSettings } from "../config/schema.ts";
import { InputError } from "../errors.ts";
import { repoIdentity } from "../source/repo-url.ts";
import { CacheEntry } from "./store.ts";

/**
 * The remote tier of the host cache: a server speaking the Turborepo Remote Cache API
 * (`GET`/`PUT /v8/artifacts/:hash?slug=<team>` or `teamId=`, a bearer token), so a team reuses the server
 * and the settings it runs Turborepo with. An artifact is our entry and its output files,
 * gzipped JSON; with a signing key it carries Turborepo's HMAC tag (`x-artifact-tag`), and a
 * download whose tag does not verify is a miss. Any fault of the server (down, slow, an error
 * status, a body that is not an artifact) turns the remote off for the rest of the run with one
 * warning: the run is the same as with no remote, never red because of it. The token never
 * appears in a message.
 */

export type Remote = {
  url: string;
  /** The team, by slug (`slug=`) or by ID (`teamId=`, which Turborepo's tag also covers). */
  slug?: string;
  teamId?: string;
  token: string | undefined;
  signingKey: string | undefined;
  mode: "read" | "write";
  /** How long a read may take, and an upload (a longer bound: it carries a task's outputs). */
  timeoutMs: number;
  uploadTimeoutMs: number;
  /** Why this run only reads, when it was not asked to (an untrusted build). */
  readOnlyBecause?: string;
};

/** The parts of a GitHub event payload that name the repository the code came from. */
const repository = z.object({ full_name: z.string() }).partial().optional().nullable();
const GitHubEvent = z.object({
  pull_request: z
    .object({ head: z.object({ repo: repository }).partial() })
    .partial()
    .optional(),
  workflow_run: z.object({ head_repository: repository }).partial().optional(),
});
type GitHubEvent = z.infer<typeof GitHubEvent>;

/**
 * The events that run code from a pull request's head, and where each payload names its
 * repository: a pull request's own events, and a workflow run that a pull request's run started.
 */
const GITHUB_HEAD_REPOSITORY = new Map<string, (e: GitHubEvent) => string | undefined>([
  ["pull_request", (e) => e.pull_request?.head?.repo?.full_name],
  ["pull_request_target", (e) => e.pull_request?.head?.repo?.full_name],
  ["workflow_run", (e) => e.workflow_run?.head_repository?.full_name],
]);

/** Why the build is untrusted (a fork's pull request), from Buildkite's or GitHub's environment. */
export function untrustedBuild(env: NodeJS.ProcessEnv): string | undefined {
  // As the generated pipeline decides it: a pull request is a fork's unless both repositories are
  // known and the same, whatever URL form each is given in.
  const pr = env.BUILDKITE_PULL_REQUEST;
  const prRepo = env.BUILDKITE_PULL_REQUEST_REPO;
  const repo = env.BUILDKITE_REPO;
  if (pr && pr !== "false" && (!prRepo || !repo || repoIdentity(prRepo) !== repoIdentity(repo))) {
    return "a pull request from a fork (Buildkite)";
  }
  if (env.MONOREPO_CI_UNTRUSTED === "1") return "MONOREPO_CI_UNTRUSTED=1";
  const event = env.GITHUB_EVENT_NAME ?? "";
  const headOf = GITHUB_HEAD_REPOSITORY.get(event);
  if (headOf) {
    // GitHub names the head repository only in the event payload; one that cannot be read is
    // taken as a fork's, failing closed.
    let head: string | undefined;
    try {
      const payload = GitHubEvent.safeParse(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? "", "utf8")));
      head = payload.success ? headOf(payload.data) : undefined;
    } catch {
      head = undefined;
    }
    if (head !== env.GITHUB_REPOSITORY) return `a ${event} event from a fork (GitHub)`;
  }
  return undefined;
}

/**
 * The remote for this run, from monorepo-ci.json's `cache.remote` and the environment (Turborepo's
 * own variables), or undefined when none is configured or it is off. A URL in the environment is
 * checked as the config's is: bad input names the variable.
 */
export function remoteFor(settings: RemoteCacheSettings, env: NodeJS.ProcessEnv): Remote | undefined {
  if (settings.mode === "off") return undefined;
  const variables = { url: "TURBO_API", team: "TURBO_TEAM", teamId: "TURBO_TEAMID" } as const;
  const fromEnv = RemoteCacheSettings.pick({ url: true, team: true })
    .extend({ teamId: RemoteCacheSettings.shape.team })
    .safeParse({
      url: env.TURBO_API || undefined,
      team: env.TURBO_TEAM || undefined,
      teamId: env.TURBO_TEAMID || undefined,
    });
  if (!fromEnv.success) {
    const issue = fromEnv.error.issues[0];
    const key = variables[(issue?.path[0] ?? "url") as keyof typeof variables];
    throw new InputError(`${key}: ${issue?.message ?? "invalid"}`);
  }
  const url = settings.url ?? fromEnv.data.url;
  if (!url) return undefined;
  // As Turborepo and Vercel tell them apart: a team ID starts with `team_`, anything else is a slug.
  const configured = settings.team;
  const team = configured
    ? configured.startsWith("team_")
      ? { teamId: configured }
      : { slug: configured }
    : { slug: fromEnv.data.team, teamId: fromEnv.data.teamId };
  if (!team.slug && !team.teamId) {
    throw new InputError(
      "cache.remote.team (or TURBO_TEAM, TURBO_TEAMID): the remote cache needs a team slug or ID",
    );
  }
  const untrusted = untrustedBuild(env);
  return {
    url: url.replace(/\/+$/, ""),
    ...(team.slug && { slug: team.slug }),
    ...(team.teamId && { teamId: team.teamId }),
    // An untrusted build sends no token and uploads nothing.
    token: untrusted ? undefined : env.TURBO_TOKEN || undefined,
    signingKey: env.TURBO_REMOTE_CACHE_SIGNATURE_KEY || undefined,
    mode: untrusted ? "read" : settings.mode,
    timeoutMs: settings.timeoutSeconds * 1000,
    uploadTimeoutMs: settings.uploadTimeoutSeconds * 1000,
    ...(untrusted && settings.mode === "write" && { readOnlyBecause: untrusted }),
  };
}

/**
 * Turborepo's artifact tag: HMAC-SHA256 over the hash, the team ID (empty when the team is named
 * by slug only, as Turborepo leaves it) and the body, in base64.
 */
export function artifactTag(key: string, hash: string, teamId: string, body: Uint8Array): string {
  return createHmac("sha256", key).update(hash).update(teamId).update(body).digest("base64");
}

const Artifact = z
  .object({
    entry: CacheEntry,
    files: z.array(z.object({ path: z.string(), data: z.string() }).strict()),
  })
  .strict();

/** A whole plan's artifacts under one hash: what a new machine on an unchanged tree fetches at once. */
const Bundle = z.object({ bundle: z.literal(1), artifacts: z.array(Artifact) }).strict();

export type Unpacked = { entry: CacheEntry; files: Map<string, Uint8Array> };

/**
 * The hash a plan's bundle is kept under: every task key of the plan, so a change to any input
 * of any task is another bundle. Told apart from a task key by its prefix.
 */
export function bundleHash(keys: readonly string[]): string {
  return createHash("sha256")
    .update(`monorepo-ci bundle 1\0${[...keys].sort().join("\0")}`)
    .digest("hex");
}

const artifactJson = (entry: CacheEntry, fileBytes: (path: string) => Uint8Array) => ({
  entry,
  files: entry.files.map((f) => ({ path: f.path, data: Buffer.from(fileBytes(f.path)).toString("base64") })),
});

const unpacked = (a: z.infer<typeof Artifact>): Unpacked => ({
  entry: a.entry,
  files: new Map(a.files.map((f) => [f.path, new Uint8Array(Buffer.from(f.data, "base64"))])),
});

/** An entry and its files' bytes, as one artifact. */
export function packArtifact(entry: CacheEntry, fileBytes: (path: string) => Uint8Array): Uint8Array {
  return Bun.gzipSync(JSON.stringify(artifactJson(entry, fileBytes)));
}

/** Several entries and their files' bytes, as one bundle. */
export function packBundle(
  entries: readonly CacheEntry[],
  fileBytes: (key: string, path: string) => Uint8Array,
): Uint8Array {
  const artifacts = entries.map((e) => artifactJson(e, (path) => fileBytes(e.key, path)));
  return Bun.gzipSync(JSON.stringify({ bundle: 1, artifacts }));
}

/**
 * The body's JSON, or why not. It may unpack to no more than twice the cache's cap (its files'
 * bytes are base64 in it): a small body that inflates without end is refused, not unpacked.
 */
const NOT_GZIPPED = "its body is not a gzipped artifact (truncated or corrupt)";

function gunzippedJson(body: Uint8Array, maxBytes: number): { json: unknown } | { refused: string } {
  let text: string;
  try {
    text = new TextDecoder().decode(gunzipSync(body, { maxOutputLength: maxBytes * 2 }));
  } catch (error) {
    const tooLarge = (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE";
    return {
      refused: tooLarge
        ? `its body unpacks to more than ${(maxBytes * 2) / (1024 * 1024)} MB, twice the cache's cap`
        : NOT_GZIPPED,
    };
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { refused: NOT_GZIPPED };
  }
}

/** The artifact's entry and files, or why it is not one (truncated, corrupt, another key's). */
export function unpackArtifact(
  body: Uint8Array,
  hash: string,
  maxBytes: number,
): Unpacked | { refused: string } {
  const parsed = gunzippedJson(body, maxBytes);
  if ("refused" in parsed) return parsed;
  const artifact = Artifact.safeParse(parsed.json);
  if (!artifact.success) return { refused: "its body is not an artifact of ours" };
  if (artifact.data.entry.key !== hash) return { refused: "it is another task's artifact" };
  return unpacked(artifact.data);
}

/** A bundle's artifacts, each one of `keys` (the plan's), or why it is not such a bundle. */
export function unpackBundle(
  body: Uint8Array,
  keys: ReadonlySet<string>,
  maxBytes: number,
): { artifacts: Unpacked[] } | { refused: string } {
  const parsed = gunzippedJson(body, maxBytes);
  if ("refused" in parsed) return parsed;
  const bundle = Bundle.safeParse(parsed.json);
  if (!bundle.success) return { refused: "its body is not a bundle of ours" };
  if (bundle.data.artifacts.some((a) => !keys.has(a.entry.key))) {
    return { refused: "it carries artifacts of tasks outside the plan" };
  }
  return { artifacts: bundle.data.artifacts.map(unpacked) };
}

export class RemoteCache {
  private fault?: string;
  private readonly uploads: Promise<void>[] = [];
  /** Downloads refused because their tag does not verify, one line per artifact. */
  readonly notes: string[] = [];

  constructor(
    readonly remote: Remote,
    /** The most an answer may hold: a server streaming without end is a fault, not a download. */
    private readonly maxBytes: number,
  ) {}

  get usable(): boolean {
    return this.fault === undefined;
  }

  /** Does this run upload: writing, with a token, and no fault yet? */
  get writing(): boolean {
    return this.usable && this.remote.mode === "write" && this.remote.token !== undefined;
  }

  get warnings(): string[] {
    return [
      ...(this.remote.readOnlyBecause
        ? [`remote cache: read-only for this run (${this.remote.readOnlyBecause}): no token, no upload`]
        : []),
      ...(this.fault ? [this.fault] : []),
      ...this.notes,
    ];
  }

  private url(hash: string): string {
    const query = new URLSearchParams();
    if (this.remote.teamId) query.set("teamId", this.remote.teamId);
    if (this.remote.slug) query.set("slug", this.remote.slug);
    return `${this.remote.url}/v8/artifacts/${hash}?${query}`;
  }

  private headers(): Record<string, string> {
    return this.remote.token ? { Authorization: `Bearer ${this.remote.token}` } : {};
  }

  /** The first fault turns the remote off for the run; the message never holds the token. */
  private giveUp(doing: string, why: string): void {
    this.fault ??= `remote cache: off for the rest of this run after ${doing} ${this.remote.url} failed (${why}); the local cache still works`;
  }

  private why(error: unknown, deadlineMs: number): string {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      return `no answer within ${deadlineMs / 1000}s`;
    }
    // Bun's fetch errors end with advice for its own API, which means nothing to our user.
    const text = (error instanceof Error ? error.message : String(error)).replace(
      / For more information, pass `verbose: true`.*$/s,
      "",
    );
    return this.remote.token ? text.split(this.remote.token).join("***") : text;
  }

  /**
   * The artifact for `hash`, verified; undefined on a miss, a refusal or a fault. `what` names it
   * (a task, a bundle) in the line a refusal gives.
   */
  async get(hash: string, what: string): Promise<Uint8Array | undefined> {
    if (!this.usable) return undefined;
    try {
      const res = await fetch(this.url(hash), {
        headers: this.headers(),
        signal: AbortSignal.timeout(this.remote.timeoutMs),
      });
      if (res.status === 404) return undefined;
      if (!res.ok) {
        this.giveUp("reading from", `HTTP ${res.status}`);
        return undefined;
      }
      const body = await this.bodyOf(res);
      if (!body) return undefined;
      if (this.remote.signingKey) {
        const tag = res.headers.get("x-artifact-tag") ?? "";
        const want = Buffer.from(artifactTag(this.remote.signingKey, hash, this.remote.teamId ?? "", body));
        const have = Buffer.from(tag);
        if (have.length !== want.length || !timingSafeEqual(have, want)) {
          this.notes.push(`remote cache: ${what}: its signature does not verify, so it was not used`);
          return undefined;
        }
      }
      return body;
    } catch (error) {
      this.giveUp("reading from", this.why(error, this.remote.timeoutMs));
      return undefined;
    }
  }

  /** The answer's bytes, read no further than the cap: past it, the server is given up. */
  private async bodyOf(res: Response): Promise<Uint8Array | undefined> {
    const over = () => {
      this.giveUp("reading from", `an answer over ${this.maxBytes / (1024 * 1024)} MB, the cache's cap`);
      return undefined;
    };
    if (Number(res.headers.get("content-length")) > this.maxBytes) {
      await res.body?.cancel();
      return over();
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += chunk.length;
      // Leaving the loop cancels the stream.
      if (total > this.maxBytes) return over();
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  /** A body that is not an artifact at all: the server is broken, not one entry, so give it up. */
  corrupt(why: string): void {
    this.giveUp("reading from", `an answer that is not an artifact: ${why}`);
  }

  /**
   * Uploads in the background when writing, once `body` is ready (it is packed off the task's
   * path); `flush` waits for them, within a bound.
   */
  put(hash: string, body: Promise<Uint8Array>, durationMs: number): void {
    if (!this.writing) return;
    this.uploads.push(
      body
        .then((bytes) => {
          if (!this.usable) return;
          const headers: Record<string, string> = {
            ...this.headers(),
            "Content-Type": "application/octet-stream",
            "x-artifact-duration": String(Math.round(durationMs)),
          };
          if (this.remote.signingKey) {
            headers["x-artifact-tag"] = artifactTag(
              this.remote.signingKey,
              hash,
              this.remote.teamId ?? "",
              bytes,
            );
          }
          return fetch(this.url(hash), {
            method: "PUT",
            headers,
            body: bytes,
            signal: AbortSignal.timeout(this.remote.uploadTimeoutMs),
          }).then((res) => {
            if (!res.ok) this.giveUp("uploading to", `HTTP ${res.status}`);
          });
        })
        .catch((error: unknown) => this.giveUp("uploading to", this.why(error, this.remote.uploadTimeoutMs))),
    );
  }

  /** Waits for the uploads, at most `uploadTimeoutMs` past the run's end; what is left is said. */
  async flush(): Promise<void> {
    const pending = this.uploads.splice(0);
    if (!pending.length) return;
    let late = false;
    await Promise.race([
      Promise.all(pending),
      new Promise<void>((resolve) =>
        setTimeout(() => {
          late = true;
          resolve();
        }, this.remote.uploadTimeoutMs).unref(),
      ),
    ]);
    if (late)
      this.giveUp("uploading to", `uploads unfinished ${this.remote.uploadTimeoutMs / 1000}s after the run`);
  }
}
