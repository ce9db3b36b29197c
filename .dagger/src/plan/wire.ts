import { z } from "zod";
import { ImageName } from "../catalog/schema.ts";
import type { CheckPlan, InlineOutcome, Task } from "./task.ts";

/**
 * A plan as it crosses a process boundary. In the engine a check is planned inside a container
 * over the mounted source, and its inline tasks run there too, so the plan travels as JSON: an
 * inline task carries no function, only its id, and is run again by that id where the files are.
 */
const Base = {
  id: z.string().min(1),
  label: z.string(),
  needs: z.array(z.string()).optional(),
  package: z.string().optional(),
  column: z.string().optional(),
};

const WireTask = z.discriminatedUnion("kind", [
  z.object({
    ...Base,
    kind: z.literal("exec"),
    cwd: z.string(),
    argv: z.array(z.string()).min(1),
    env: z.record(z.string(), z.string()).optional(),
    image: ImageName,
    skipIfMissing: z.boolean().optional(),
    outputs: z.array(z.string()).optional(),
    inputs: z.array(z.string()).optional(),
    coverage: z.boolean().optional(),
    coverageUnmeasured: z.string().optional(),
  }),
  z.object({ ...Base, kind: z.literal("inline") }),
  z.object({
    ...Base,
    kind: z.literal("smoke"),
    cwd: z.string(),
    start: z.array(z.string()).min(1),
    port: z.number().int(),
    healthPath: z.string(),
    timeoutSeconds: z.number(),
  }),
  z.object({ ...Base, kind: z.literal("skip"), reason: z.string() }),
]);
export type WireTask = z.infer<typeof WireTask>;

const WirePlan = z.object({ key: z.string(), installRoots: z.array(z.string()), tasks: z.array(WireTask) });
export type WirePlan = z.infer<typeof WirePlan>;

const WireOutcome = z.object({
  findings: z.array(z.object({ where: z.string(), message: z.string() })),
  notes: z.array(z.string()).optional(),
});

export function toWire(plan: CheckPlan): WirePlan {
  return {
    key: plan.key,
    installRoots: plan.installRoots,
    tasks: plan.tasks.map((task: Task): WireTask => {
      if (task.kind !== "inline") return task;
      // The function stays behind; the id is how the other side finds it again.
      return {
        kind: "inline",
        id: task.id,
        label: task.label,
        needs: task.needs,
        package: task.package,
        column: task.column,
      };
    }),
  };
}

/** Our own output read back: a mismatch is a bug of ours or a broken container, never user input. */
function parseOwn<S extends z.ZodType>(schema: S, text: string, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${what}: not JSON: ${(cause as Error).message}: ${text.slice(0, 200)}`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${what}: unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

export const parseWirePlan = (text: string, what: string): WirePlan => parseOwn(WirePlan, text, what);

export const parseWireOutcome = (text: string, what: string): InlineOutcome =>
  parseOwn(WireOutcome, text, what);

/** A wire plan made runnable again: each inline task runs through `runInline(taskId)`. */
export function fromWire(plan: WirePlan, runInline: (taskId: string) => Promise<InlineOutcome>): CheckPlan {
  return {
    key: plan.key,
    installRoots: plan.installRoots,
    tasks: plan.tasks.map((task): Task =>
      task.kind === "inline" ? { ...task, run: () => runInline(task.id) } : task,
    ),
  };
}
