import { readFileSync } from "node:fs";

/** A process that exists and is not a zombie (a container's init may never reap the dead). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Whether `pid` is gone within `ms`: killing takes a moment to land. */
export async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await Bun.sleep(25);
  }
  return !isRunning(pid);
}

export type Captured = { stdout: string; stderr: string; exitCode: number };

/** Runs a process to its end and returns everything it printed, read while it runs. */
export async function capture(
  argv: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<Captured> {
  const proc = Bun.spawn(argv, { cwd: opts.cwd, env: opts.env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, exitCode };
}
