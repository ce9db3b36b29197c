import { spawnSync } from "node:child_process";

/**
 * A plugin's short name from any of the forms a step may use: `docker#v5.12.0`,
 * `github.com/buildkite-plugins/docker-compose-buildkite-plugin#v5`, `ssh://…/my-plugin.git#main`,
 * a mapping `{docker#v5: {...}}`, or the older map of names to config.
 */
export function pluginName(ref: string): string {
  const bare = ref.split("#")[0] ?? ref;
  const last =
    bare
      .replace(/\.git$/, "")
      .replace(/\/+$/, "")
      .split("/")
      .at(-1) ?? bare;
  return last.replace(/-buildkite-plugin$/, "");
}

/** A step's plugin: its short name, the reference as written, and its configuration. */
export type Plugin = { name: string; ref: string; config: Record<string, unknown> };

const plugin = (ref: string, config: unknown): Plugin => ({
  name: pluginName(ref),
  ref,
  config:
    config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
});

export function pluginsOf(raw: unknown): Plugin[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((p) =>
      typeof p === "string"
        ? [plugin(p, null)]
        : p && typeof p === "object"
          ? Object.entries(p).map(([ref, config]) => plugin(ref, config))
          : [],
    );
  }
  return raw && typeof raw === "object"
    ? Object.entries(raw).map(([ref, config]) => plugin(ref, config))
    : [];
}

export type PluginPolicy = "fail" | "skip";

/** Plugins that only shape the pod on agent-stack-k8s: the command runs on the host here, as it would in the pod. */
const SHAPES_THE_POD = new Set(["kubernetes"]);
/** Plugins that run the command in a container. `docker` runs in Docker when a daemon answers. */
const NEEDS_DOCKER = new Set(["docker", "docker-compose"]);
const RUNS_IN_DOCKER = new Set(["docker"]);

let dockerReachable: boolean | undefined;
/** Whether `docker info` answers; asked once per run. */
export const dockerAvailable = () =>
  (dockerReachable ??= spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0);

function why(name: string): string {
  if (!NEEDS_DOCKER.has(name)) return `plugin ${name} cannot run locally`;
  if (!dockerAvailable())
    return `plugin ${name} runs the command in a container, and no Docker daemon is reachable (docker info failed)`;
  return `plugin ${name} runs the command in containers the local runner does not start`;
}

/**
 * What a job's plugins mean here: it runs (on the host, or in Docker), a reason to skip it
 * (`--plugins skip`), or a reason it fails. Never a silent pass: work a plugin would have done is
 * not done locally. The kubernetes plugin only shapes the pod, so its job runs on the host as its
 * pod would run it; the docker plugin runs the job in its image when a Docker daemon answers.
 */
export function pluginVerdict(
  plugins: Plugin[],
  policy: PluginPolicy,
): { run: true; docker: Plugin | null } | { run: false; skip: boolean; reason: string } {
  const docker = plugins.find((p) => RUNS_IN_DOCKER.has(p.name));
  const blocking = plugins.find(
    (p) => !SHAPES_THE_POD.has(p.name) && !(RUNS_IN_DOCKER.has(p.name) && dockerAvailable()),
  );
  if (!blocking) return { run: true, docker: docker ?? null };
  const reason = why(blocking.name);
  return policy === "skip"
    ? { run: false, skip: true, reason: `skipped: plugin ${blocking.name} (${reason}; --plugins skip)` }
    : {
        run: false,
        skip: false,
        reason: `${reason}, so this job would not do its work; pass --plugins skip to report it skipped`,
      };
}
