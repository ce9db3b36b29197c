/**
 * Variables only the agent's own configuration may set (buildkite/agent, `ProtectedEnv` in its
 * job runner): a job-level value (the pipeline's or a step's `env`, a trigger's `build.env`,
 * `--env`) is ignored with a warning, as the agent does. `BUILDKITE_GIT_CLONE_FLAGS`, say, would
 * otherwise let a pipeline change how every checkout runs.
 */
export const PROTECTED_ENV = new Set([
  "BUILDKITE_AGENT_ENDPOINT",
  "BUILDKITE_AGENT_ACCESS_TOKEN",
  "BUILDKITE_AGENT_DEBUG",
  "BUILDKITE_AGENT_PID",
  "BUILDKITE_BIN_PATH",
  "BUILDKITE_CONFIG_PATH",
  "BUILDKITE_BUILD_PATH",
  "BUILDKITE_GIT_MIRRORS_PATH",
  "BUILDKITE_GIT_MIRRORS_SKIP_UPDATE",
  "BUILDKITE_HOOKS_PATH",
  "BUILDKITE_PLUGINS_PATH",
  "BUILDKITE_SSH_KEYSCAN",
  "BUILDKITE_GIT_SUBMODULES",
  "BUILDKITE_COMMAND_EVAL",
  "BUILDKITE_PLUGINS_ENABLED",
  "BUILDKITE_LOCAL_HOOKS_ENABLED",
  "BUILDKITE_GIT_CLONE_FLAGS",
  "BUILDKITE_GIT_FETCH_FLAGS",
  "BUILDKITE_GIT_CLONE_MIRROR_FLAGS",
  "BUILDKITE_GIT_MIRRORS_LOCK_TIMEOUT",
  "BUILDKITE_GIT_CLEAN_FLAGS",
  "BUILDKITE_SHELL",
]);

/** The job-level variables that name a protected one, and the rest. */
export function withoutProtected(env: Record<string, string>): {
  allowed: Record<string, string>;
  refused: string[];
} {
  const allowed: Record<string, string> = {};
  const refused: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (PROTECTED_ENV.has(name)) refused.push(name);
    else allowed[name] = value;
  }
  return { allowed, refused };
}
