#!/usr/bin/env bun
// The module's work inside an engine container, over the source mounted at --source. The Dagger
// executor runs it as one exec per step, so the engine requests a check makes do not grow with
// the number of files (reading them through the API would be one request per file):
//   plan <key>                 the check's plan as JSON on stdout ("ci": the workspace build)
//   inline <key> <task-id>     one inline task of that plan; its findings as JSON on stdout
//   install-inputs --out DIR   the dependency layer: manifests without lifecycle scripts,
//                              lockfiles, bunfig.toml, .npmrc and patches, copied into DIR
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadContext } from "../src/checks/context.ts";
import { InputError } from "../src/errors.ts";
import { toWire } from "../src/plan/wire.ts";
import { planFor } from "../src/run/check.ts";
import { HostSource } from "../src/source/host.ts";
import { installInputs, withoutLifecycleScripts } from "../src/workspace/install-inputs.ts";
import { main, parseCli } from "./io.ts";

const USAGE = `usage: bun cli/engine.ts plan <key> --source DIR
       bun cli/engine.ts inline <key> <task-id> --source DIR
       bun cli/engine.ts install-inputs --source DIR --out DIR`;

await main(async () => {
  const { values, positionals } = parseCli(
    USAGE,
    { source: { type: "string" }, out: { type: "string" } },
    true,
  );
  if (!values.source) throw new InputError(`--source is required\n${USAGE}`);
  const view = new HostSource(values.source);
  const [command, key, taskId, ...extra] = positionals;

  if (command === "install-inputs" && !key && values.out) {
    const out = values.out;
    const files = await view.listFiles();
    const read = (path: string) => readFileSync(join(view.root, path), "utf8");
    for (const input of installInputs(files, read)) {
      const to = join(out, input.path);
      mkdirSync(dirname(to), { recursive: true });
      if (input.stripLifecycle) writeFileSync(to, withoutLifecycleScripts(read(input.path), input.path));
      else copyFileSync(join(view.root, input.path), to);
    }
    return 0;
  }
  if (command === "plan" && key && !taskId) {
    const plan = await planFor(key, await loadContext(view));
    process.stdout.write(JSON.stringify(toWire(plan)));
    return 0;
  }
  if (command === "inline" && key && taskId && !extra.length) {
    const plan = await planFor(key, await loadContext(view));
    const task = plan.tasks.find((t) => t.id === taskId);
    if (task?.kind !== "inline") throw new InputError(`${key} has no inline task ${taskId}`);
    process.stdout.write(JSON.stringify(await task.run(view)));
    return 0;
  }
  throw new InputError(USAGE);
});
