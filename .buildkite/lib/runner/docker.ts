import type { Plugin } from "./plugins.ts";

/**
 * The docker plugin's `docker run`, as its command hook builds it, for a job whose step uses it.
 * Every value is its own argument, never parsed by a shell. Variables are passed by name
 * (`--env NAME`), so their values reach the container from the job's environment and never
 * appear in an argument list.
 */

/** Options honoured here; any other one fails the job rather than being silently dropped. */
const HONOURED = new Set([
  "image",
  "command",
  "shell",
  "entrypoint",
  "workdir",
  "mounts",
  "volumes",
  "mount-checkout",
  "environment",
  "propagate-environment",
  "user",
  "network",
  "always-pull",
  "mount-buildkite-agent",
  "debug",
]);

/** An image reference: registry, path, tag and digest characters, never a leading dash. */
const IMAGE = /^[a-z0-9][\w.\-/:@]*$/i;

const on = (v: unknown) => v === true || v === "true" || v === "on" || v === "1";
const list = (v: unknown): string[] | null => (Array.isArray(v) ? v.map(String) : null);

/** `env`: the values `environment: [NAME=value]` sets, for docker's own environment, never its argv. */
export type DockerRun = { argv: string[]; env: Record<string, string> } | { error: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `./x:/y` and `.:/y` are relative to the checkout, as the plugin expands them. */
function volume(spec: string, checkout: string): string {
  if (spec.startsWith(".:")) return `${checkout}${spec.slice(1)}`;
  if (spec.startsWith("./")) return `${checkout}/${spec.slice(2)}`;
  return spec;
}

export function dockerRun(
  plugin: Plugin,
  commands: string[],
  checkout: string,
  jobEnvNames: string[],
): DockerRun {
  const c = plugin.config;
  const unknown = Object.keys(c).filter((k) => !HONOURED.has(k));
  if (unknown.length)
    return { error: `docker plugin option(s) ${unknown.join(", ")} are not supported by the local runner` };
  if (typeof c.image !== "string" || !c.image) return { error: "the docker plugin needs an image" };
  // The image is docker's first positional argument: a value starting with "-" would be an option.
  if (!IMAGE.test(c.image)) return { error: `image ${JSON.stringify(c.image)} is not an image reference` };
  // The agent's binary cannot run in the container here: the local stand-in is a host script.
  if (on(c["mount-buildkite-agent"]))
    return { error: "mount-buildkite-agent: the local buildkite-agent cannot run inside a container" };
  const pluginCommand = c.command === undefined ? null : list(c.command);
  if (c.command !== undefined && !pluginCommand)
    return { error: "the docker plugin's command must be a list" };
  if (pluginCommand?.length && commands.length)
    return { error: "a step command and the docker plugin's command cannot both be set" };

  const workdir = typeof c.workdir === "string" ? c.workdir : "/workdir";
  const args = ["run", "--rm", "--init"];
  const mounts = list(c.volumes) ?? list(c.mounts) ?? [];
  if (c["mount-checkout"] === undefined || on(c["mount-checkout"]))
    args.push("--volume", `${checkout}:${workdir}`);
  for (const m of mounts) args.push("--volume", volume(m, checkout));
  args.push(`--workdir=${workdir}`);
  // `--flag=value`, so a value starting with "-" stays a value.
  if (typeof c.user === "string") args.push(`--user=${c.user}`);
  if (typeof c.network === "string") args.push(`--network=${c.network}`);
  if (on(c["always-pull"])) args.push("--pull", "always");
  const names = new Set<string>(on(c["propagate-environment"]) ? jobEnvNames : []);
  // `NAME=value` sets a value: it goes to docker's environment and the container gets it by name,
  // so it is never an argument (where any process list, and the job's log, would show it).
  const env: Record<string, string> = {};
  for (const e of list(c.environment) ?? []) {
    const eq = e.indexOf("=");
    const name = eq < 0 ? e : e.slice(0, eq);
    if (!ENV_NAME.test(name))
      return { error: `environment entry ${JSON.stringify(name)} is not a variable name` };
    if (eq >= 0) env[name] = e.slice(eq + 1);
    names.add(name);
  }
  for (const name of names) args.push("--env", name);

  let shell: string[] = [];
  const entrypoint = c.entrypoint;
  if (typeof entrypoint === "string") args.push(`--entrypoint=${entrypoint}`);
  else if (c.shell === false || c.shell === "false") shell = [];
  else shell = list(c.shell) ?? (commands.length ? ["/bin/sh", "-e", "-c"] : []);
  if (typeof entrypoint === "string" && c.shell === undefined) shell = [];
  args.push(c.image, ...shell);
  if (commands.length) args.push(commands.join("\n"));
  else if (pluginCommand) args.push(...pluginCommand);
  return { argv: ["docker", ...args], env };
}
