import { dag, ReturnType, type Container, type Directory } from "@dagger.io/dagger";
import { posix } from "node:path";
import { versions } from "../catalog/versions.ts";
import { tail, type TaskResult } from "../plan/result.ts";
import { binDirs, type CheckPlan, type ExecTask, type SmokeTask, type Task } from "../plan/task.ts";
import { skipResult, taskResult, type Executor } from "../run/executor.ts";
import { runInline } from "../run/inline.ts";
import { DaggerSource } from "../source/dagger.ts";
import { parseManifest } from "../workspace/manifest.ts";

const SRC = "/src";

/** Cache volume names carry no version, so a bump reuses the warm cache instead of orphaning it. */
const BUN_CACHE = "bun-install-cache";
const TRIVY_CACHE = "trivy-cache";

/** Runs the same plan as the host executor, each exec task as a container exec on the engine. */
export class DaggerExecutor implements Executor {
  readonly view: DaggerSource;
  private readonly bases = new Map<string, Container>();
  /** A task's container after it ran, so later tasks see its outputs (generate → build → smoke). */
  private readonly after = new Map<string, Container>();

  constructor(
    private readonly source: Directory,
    private readonly gitSha: string,
  ) {
    this.view = new DaggerSource(source);
  }

  async runTask(task: Task, plan: CheckPlan): Promise<TaskResult> {
    switch (task.kind) {
      case "skip":
        return skipResult(task, task.reason);
      case "inline":
        return runInline(task, this.view);
      case "exec":
        return this.exec(task, plan);
      case "smoke":
        return this.smoke(task, plan);
    }
  }

  /**
   * Dependencies are installed from the manifests and lockfiles alone, before the full source is
   * mounted, so an edit to source code keeps the install layer cached.
   */
  private base(plan: CheckPlan): Container {
    const key = plan.installRoots.join("\0");
    const cached = this.bases.get(key);
    if (cached) return cached;
    let ctr = dag
      .container()
      .from(versions.images.bun)
      .withMountedCache("/root/.bun/install/cache", dag.cacheVolume(BUN_CACHE))
      .withDirectory(SRC, this.source, { include: ["**/package.json", "**/bun.lock"] });
    for (const root of plan.installRoots) {
      ctr = ctr.withWorkdir(posix.join(SRC, root)).withExec(["bun", "install", "--frozen-lockfile"]);
    }
    ctr = ctr.withDirectory(SRC, this.source);
    this.bases.set(key, ctr);
    return ctr;
  }

  private startFor(task: ExecTask | SmokeTask, plan: CheckPlan): Container {
    const need = task.needs?.at(-1);
    return (need && this.after.get(need)) || this.base(plan);
  }

  private container(task: ExecTask, plan: CheckPlan): Container {
    if (task.image === "bun") return this.startFor(task, plan);
    let ctr = dag.container().from(versions.images[task.image]).withDirectory(SRC, this.source);
    if (task.image === "trivy")
      ctr = ctr.withMountedCache("/root/.cache/trivy", dag.cacheVolume(TRIVY_CACHE));
    return ctr;
  }

  private async exec(task: ExecTask, plan: CheckPlan): Promise<TaskResult> {
    const started = performance.now();
    const path = [...binDirs(task.cwd).map((d) => posix.join(SRC, d)), "${PATH}"].join(":");
    let ctr = this.container(task, plan)
      .withWorkdir(posix.join(SRC, task.cwd))
      .withEnvVariable("PATH", path, { expand: true });
    for (const [name, value] of Object.entries(task.env ?? {})) ctr = ctr.withEnvVariable(name, value);
    // Expect any exit code: the result is collected and judged here, so every task reports.
    ctr = ctr.withExec(task.argv, { expect: ReturnType.Any });
    const [code, stdout, stderr] = await Promise.all([ctr.exitCode(), ctr.stdout(), ctr.stderr()]);
    this.after.set(task.id, ctr);
    return taskResult(task, started, {
      status: code === 0 ? "passed" : "failed",
      exitCode: code,
      detail: code === 0 ? "" : `${task.argv.join(" ")} exited ${code} in ${task.cwd}`,
      output: [stdout, stderr].filter(Boolean).join("\n"),
    });
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
      .withDirectory(SRC, this.startFor(task, plan).directory(SRC))
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
    const [code, stdout, stderr] = await Promise.all([probe.exitCode(), probe.stdout(), probe.stderr()]);
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
