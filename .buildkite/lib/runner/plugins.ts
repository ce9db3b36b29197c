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

export function pluginsOf(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.flatMap((p) =>
      typeof p === "string"
        ? [pluginName(p)]
        : p && typeof p === "object"
          ? Object.keys(p).map(pluginName)
          : [],
    );
  }
  return raw && typeof raw === "object" ? Object.keys(raw).map(pluginName) : [];
}

export type PluginPolicy = "fail" | "skip";

/** Plugins that only shape the pod on agent-stack-k8s: the command runs on the host here, as it would in the pod. */
const SHAPES_THE_POD = new Set(["kubernetes"]);
/** Plugins that run the command in a container: faithful only with a Docker daemon. */
const NEEDS_DOCKER = new Set(["docker", "docker-compose"]);

let dockerReachable: boolean | undefined;
const docker = () =>
  (dockerReachable ??= spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0);

function why(name: string): string {
  if (!NEEDS_DOCKER.has(name)) return `plugin ${name} cannot run locally`;
  const daemon = docker() ? "a Docker daemon is reachable, but" : "no Docker daemon is reachable, and";
  return `plugin ${name} runs the command in a container; ${daemon} the local runner does not run containers`;
}

/**
 * What a job's plugins mean here: nothing (it runs), a reason to skip it (`--plugins skip`), or a
 * reason it fails. Never a silent pass: work a plugin would have done is not done locally. The
 * kubernetes plugin only shapes the pod, so its job runs on the host as its pod would run it.
 */
export function pluginVerdict(
  plugins: string[],
  policy: PluginPolicy,
): { run: true } | { run: false; skip: boolean; reason: string } {
  const blocking = plugins.find((name) => !SHAPES_THE_POD.has(name));
  if (!blocking) return { run: true };
  return policy === "skip"
    ? { run: false, skip: true, reason: `skipped: plugin ${blocking} (${why(blocking)}; --plugins skip)` }
    : {
        run: false,
        skip: false,
        reason: `${why(blocking)}, so this job would not do its work; pass --plugins skip to report it skipped`,
      };
}
