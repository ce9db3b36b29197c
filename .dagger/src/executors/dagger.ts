import { missingTool } from "../run/missing-tool.ts";
import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { posix } from "node:path";
import { versions } from "../catalog/versions.ts";
import { InputError } from "../errors.ts";
import { tail, type TaskResult } from "../plan/result.ts";
import { binDirs, type CheckPlan, type ExecTask, type SmokeTask, type Task } from "../plan/task.ts";
import { fromWire, parseWireOutcome, parseWirePlan } from "../plan/wire.ts";
import { skipResult, taskResult, type Executor } from "../run/executor.ts";
import { runInline } from "../run/inline.ts";
import { DaggerSource } from "../source/dagger.ts";
import { isExecError } from "./exec-error.ts";
import { loadConfig } from "../config/load.ts";
import { coverageFromLcov, judgeCoverage, LCOV_FILE } from "../test-coverage/coverage.ts";
import type { MonorepoConfig } from "../config/schema.ts";
import { parseManifest } from "../workspace/manifest.ts";

/** Where the checked source is mounted in every container. */
export const SRC = "/src";
/** Where the module's own code runs in the toolbox container (see toolbox()). */
export const MODULE = "/opt/monorepo-ci";
/** The dependency layer that `engine.ts install-inputs` writes. */
const DEPS = "/deps";

/** Cache volume names carry no version, so a bump reuses the warm cache instead of orphaning it. */
export const BUN_CACHE = "bun-install-cache";
export const TRIVY_CACHE = "trivy-cache";

const INSTALL = ["bun", "install", "--frozen-lockfile"];

/**
 * An exec's exit code and output, asked one after the other: the first query resolves the ids of
 * the objects the chain uses, and the SDK keeps them, so the others reuse them. Asked at once,
 * each would race to resolve them, and the request count would depend on timing.
 */
async function outcome(ctr: Container): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await ctr.exitCode();
  const stdout = await ctr.stdout();
  const stderr = await ctr.stderr();
  return { code, stdout, stderr };
}

/** The lcov a covered test run wrote in its working directory, or undefined when it wrote none. */
export async function lcovOf(ran: Container): Promise<string | undefined> {
  const read = ran.withExec(["cat", "--", LCOV_FILE], { expect: ReturnType.Any });
  return (await read.exitCode()) === 0 ? read.stdout() : undefined;
}

/** The engine could not start the process: its executable is not in the image. */
const missingExecutable = (error: unknown) =>
  error instanceof Error && !isExecError(error) && /executable file not found/.test(error.message);

/**
 * A task the engine could not run (an install that failed, an image that would not pull, a
 * service that never started) is a failed task with the engine's message, never a raw error:
 * the report still names it and every other task still reports.
 */
function engineFailure(task: Task, started: number, error: unknown): TaskResult {
  if (isExecError(error)) {
    const output = [error.stdout, error.stderr].filter(Boolean).join("\n");
    return taskResult(task, started, {
      status: "failed",
      exitCode: error.exitCode,
      detail: `in the engine, ${error.cmd.join(" ")} exited ${error.exitCode}`,
      output: tail(output || error.message),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return taskResult(task, started, {
    status: "failed",
    exitCode: null,
    detail: `the engine failed: ${message.split("\n")[0]}`,
    output: tail(message),
  });
}

/**
 * Runs the same plan as the host executor, each exec task as a container exec on the engine.
 * Planning and the inline tasks run inside a container too (the toolbox), over the mounted
 * source, with the same code the host runs: the engine requests a check makes do not depend on
 * how many files the source has, and both executors list the files the same way.
 */
export class DaggerExecutor implements Executor {
  /** For the few single files read from the runtime (a manifest's version, CHANGELOG.md). */
  readonly view: DaggerSource;
  private readonly bases = new Map<string, Promise<Container>>();
  /** A task's container after it ran, so later tasks see its outputs (generate → build → smoke). */
  private readonly after = new Map<string, Container>();
  private toolboxReady?: Promise<Container>;

  constructor(
    private readonly source: Directory,
    private readonly gitSha: string,
  ) {
    this.view = new DaggerSource(source);
  }

  private configured?: Promise<MonorepoConfig>;

  /** The container a task of the last plan run in, as it left it; undefined if it did not run here. */
  containerAfter(taskId: string): Container | undefined {
    return this.after.get(taskId);
  }

  /** Read over the source directory, once. */
  config(): Promise<MonorepoConfig> {
    this.configured ??= loadConfig(this.view);
    return this.configured;
  }

  async plan(key: string): Promise<CheckPlan> {
    const what = `plan ${key}`;
    const wire = parseWirePlan(await this.engineCli(["plan", key], what), what);
    return fromWire(wire, async (taskId) => {
      const where = `${key} ${taskId}`;
      return parseWireOutcome(await this.engineCli(["inline", key, taskId], where), where);
    });
  }

  async runTask(task: Task, plan: CheckPlan): Promise<TaskResult> {
    const started = performance.now();
    try {
      switch (task.kind) {
        case "skip":
          return skipResult(task, task.reason);
        case "inline":
          return await runInline(task, this.view);
        case "exec":
          return await this.exec(task, plan);
        case "smoke":
          return await this.smoke(task, plan);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      // As on the host: an optional tool its image does not have is skipped, saying so.
      if (task.kind === "exec" && task.skipIfMissing && missingExecutable(error)) {
        return skipResult(task, `skipped (${task.argv[0]} is not in ${versions.images[task.image]})`);
      }
      if (task.kind === "exec" && missingExecutable(error)) {
        return taskResult(task, started, {
          status: "failed",
          exitCode: 127,
          ...missingTool(task, `node_modules/.bin and ${versions.images[task.image]}`),
        });
      }
      return engineFailure(task, started, error);
    }
  }

  /**
   * The module's own code and its locked dependencies on the pinned bun image, with the source
   * at SRC. Dependencies install from package.json and bun.lock alone, so they stay cached.
   * Synced once and shared: every later chain starts from its id, so concurrent tasks neither
   * race to resolve it nor make the engine requests a check makes depend on timing. Its execs
   * run in MODULE, never in the source: bun reads bunfig.toml (a preload that prints) and .env
   * from its working directory, and nothing of the user's repo may reach the plan's JSON.
   */
  private toolbox(): Promise<Container> {
    const module = dag.currentModule().source();
    this.toolboxReady ??= dag
      .container()
      .from(versions.images.bun)
      .withMountedCache("/root/.bun/install/cache", dag.cacheVolume(BUN_CACHE))
      .withDirectory(MODULE, module, { include: ["package.json", "bun.lock"] })
      .withWorkdir(MODULE)
      .withExec([...INSTALL, "--production"])
      .withDirectory(MODULE, module, { exclude: ["**/node_modules", "sdk"] })
      .withDirectory(SRC, this.source)
      .sync();
    return this.toolboxReady;
  }

  /** `cli/engine.ts` in the toolbox: its stdout, or its exit-2 message as bad input. */
  private async engineCli(args: string[], what: string): Promise<string> {
    const ctr = (await this.toolbox()).withExec(
      ["bun", `${MODULE}/cli/engine.ts`, ...args, "--source", SRC],
      {
        expect: ReturnType.Any,
      },
    );
    const { code, stdout, stderr } = await outcome(ctr);
    if (code === 2) throw new InputError(stderr.replace(/^error: /, "").trim());
    if (code !== 0) throw new Error(`${what}: the module's engine step exited ${code}\n${tail(stderr)}`);
    return stdout;
  }

  /**
   * Dependencies install in two steps. First from the dependency layer alone (manifests without
   * lifecycle scripts, lockfiles, bunfig.toml, .npmrc, patches), which changes only when
   * dependencies do, so an edit to source code keeps it cached. Then, with the whole source
   * mounted, `bun install` again: nothing left to fetch, it runs the project's own lifecycle
   * scripts (a root postinstall that builds something, say) with the files they read.
   */
  /** A bun container with the source and its dependencies installed at these roots. */
  installed(installRoots: string[]): Promise<Container> {
    return this.base({ installRoots });
  }

  private base(plan: Pick<CheckPlan, "installRoots">): Promise<Container> {
    const key = plan.installRoots.join("\0");
    let ready = this.bases.get(key);
    if (!ready) {
      ready = this.install(plan.installRoots);
      this.bases.set(key, ready);
    }
    return ready;
  }

  private async install(installRoots: string[]): Promise<Container> {
    const deps = (await this.toolbox())
      .withExec(["bun", `${MODULE}/cli/engine.ts`, "install-inputs", "--source", SRC, "--out", DEPS])
      .directory(DEPS);
    let ctr = dag
      .container()
      .from(versions.images.bun)
      .withMountedCache("/root/.bun/install/cache", dag.cacheVolume(BUN_CACHE))
      .withDirectory(SRC, deps);
    for (const root of installRoots) ctr = ctr.withWorkdir(posix.join(SRC, root)).withExec(INSTALL);
    ctr = ctr.withDirectory(SRC, this.source);
    for (const root of installRoots) ctr = ctr.withWorkdir(posix.join(SRC, root)).withExec(INSTALL);
    return ctr.sync();
  }

  /**
   * Where a task starts: from the container its last need left (generate → build → smoke), with
   * the package directory of every other need laid over it, so a package whose dependencies
   * were built in other containers sees all their builds.
   */
  private async startFor(task: ExecTask | SmokeTask, plan: CheckPlan): Promise<Container> {
    const needs = task.needs ?? [];
    const last = needs.at(-1);
    let ctr = (last && this.after.get(last)) || (await this.base(plan));
    for (const id of needs.slice(0, -1)) {
      const need = plan.tasks.find((t) => t.id === id);
      const done = this.after.get(id);
      if (!done || !need || !("cwd" in need)) continue;
      const dir = posix.join(SRC, need.cwd);
      ctr = ctr.withDirectory(dir, done.directory(dir), { exclude: ["node_modules"] });
    }
    return ctr;
  }

  private async container(task: ExecTask, plan: CheckPlan): Promise<Container> {
    if (task.image === "bun") return this.startFor(task, plan);
    let ctr = dag.container().from(versions.images[task.image]).withDirectory(SRC, this.source);
    if (task.image === "trivy")
      ctr = ctr.withMountedCache("/root/.cache/trivy", dag.cacheVolume(TRIVY_CACHE));
    return ctr;
  }

  private async exec(task: ExecTask, plan: CheckPlan): Promise<TaskResult> {
    const started = performance.now();
    const path = [...binDirs(task.cwd).map((d) => posix.join(SRC, d)), "${PATH}"].join(":");
    let ctr = (await this.container(task, plan))
      .withWorkdir(posix.join(SRC, task.cwd))
      .withEnvVariable("PATH", path, { expand: true });
    for (const [name, value] of Object.entries(task.env ?? {})) ctr = ctr.withEnvVariable(name, value);
    // As on the host, an lcov left from before never counts as this run's coverage.
    if (task.coverage) ctr = ctr.withExec(["rm", "-f", "--", LCOV_FILE]);
    // Expect any exit code: the result is collected and judged here, so every task reports.
    ctr = ctr.withExec(task.argv, { expect: ReturnType.Any });
    const { code, stdout, stderr } = await outcome(ctr);
    this.after.set(task.id, ctr);
    const output = [stdout, stderr].filter(Boolean).join("\n");
    const result = taskResult(task, started, {
      status: code === 0 ? "passed" : "failed",
      exitCode: code,
      detail: code === 0 ? "" : `${task.argv.join(" ")} exited ${code} in ${task.cwd}`,
      output,
    });
    if (!task.coverage && !task.coverageUnmeasured) return result;
    // Judged as on the host: the lcov the run wrote, the same rule.
    const lcov = task.coverage && code === 0 ? await lcovOf(ctr) : undefined;
    const coverage = lcov === undefined ? undefined : coverageFromLcov(lcov);
    return judgeCoverage(
      { ...result, ...(coverage && { coverage }) },
      coverage,
      task.package ?? task.cwd,
      (await this.config()).coverage,
      task.coverageUnmeasured,
    );
  }

  /**
   * The service image: the built tree on the pinned slim base, labelled with its version and
   * revision (also under the OCI keys), listening on the task's port and started by its command.
   * The smoke test probes it; `publish` pushes it.
   */
  async serviceImage(task: SmokeTask, plan: CheckPlan, version?: string): Promise<Container> {
    const manifestPath = posix.join(task.cwd, "package.json");
    const manifestText = await this.view.readText(manifestPath);
    const pkgVersion = manifestText ? parseManifest(manifestText, manifestPath).version : undefined;
    const label = version ?? pkgVersion ?? "0.0.0";
    return dag
      .container()
      .from(versions.images.bunSlim)
      .withDirectory(SRC, (await this.startFor(task, plan)).directory(SRC))
      .withWorkdir(posix.join(SRC, task.cwd))
      .withLabel("VERSION", label)
      .withLabel("GIT_SHA", this.gitSha)
      .withLabel("org.opencontainers.image.version", label)
      .withLabel("org.opencontainers.image.revision", this.gitSha)
      .withEnvVariable("PORT", String(task.port))
      .withExposedPort(task.port)
      .withDefaultArgs(task.start);
  }

  /** Runs the service image as a Dagger service and probes its health endpoint from a pinned curl. */
  private async smoke(task: SmokeTask, plan: CheckPlan): Promise<TaskResult> {
    const started = performance.now();
    const service = (await this.serviceImage(task, plan)).asService({ useEntrypoint: true });
    const url = `http://service:${task.port}${task.healthPath}`;
    const probe = dag
      .container()
      .from(versions.images.curl)
      .withServiceBinding("service", service)
      .withExec(
        [
          "curl",
          "-fsS",
          "--retry-all-errors",
          "--retry",
          String(task.timeoutSeconds),
          "--retry-delay",
          "1",
          "--max-time",
          "5",
          url,
        ],
        { expect: ReturnType.Any },
      );
    const { code, stdout, stderr } = await outcome(probe);
    return taskResult(task, started, {
      status: code === 0 ? "passed" : "failed",
      exitCode: code,
      detail:
        code === 0
          ? `GET ${task.healthPath} answered`
          : `GET ${task.healthPath} gave no 2xx within ${task.timeoutSeconds}s`,
      output: tail([stdout, stderr].filter(Boolean).join("\n")),
    });
  }
}
