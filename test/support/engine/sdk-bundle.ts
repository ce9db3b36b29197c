// What `@dagger.io/dagger` is inside the engine's bun runtime at the pinned engine version. The
// runtime does not install the npm package: it mounts a generated library at `sdk/` and at
// `node_modules/@dagger.io/dagger` (dagger/dagger, branch backport-0.21, the branch v0.21.9 was
// cut from: sdk/typescript/runtime/runtime_bun.go `SetupContainer`, lib_generator.go
// `GenerateBundleLibrary`). Its index.ts (sdk/typescript/runtime/tsutils/module/index.ts there)
// re-exports exactly the names below from a self-contained `core.js`, plus everything of the
// generated client (`client.gen.ts`: `dag`, the API classes and its enums such as ReturnType).
// Any other value import (ExecError, connect's helpers, the error classes) fails the whole
// module on load. The stand-in rebuilds that library from the npm package of the same version:
// core.js bundled from it with exactly these exports, client.gen.ts from its generated client.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { removeAtExit } from "../cleanup.ts";
import { REPO } from "../helpers.ts";

/** The module whose locked @dagger.io/dagger is the SDK the pinned engine bundles. */
const SDK_FROM = join(REPO, ".dagger");

/** sdk/typescript/runtime/tsutils/module/index.ts, backport-0.21: the values core.js gives. */
export const BUNDLE_CORE_EXPORTS = [
  "connection",
  "connect",
  "Context",
  "func",
  "check",
  "generate",
  "argument",
  "object",
  "field",
  "enumType",
  "entrypoint",
] as const;

/** Where each of those names lives in the npm package's dist/src (the same SDK source). */
const CORE_SOURCES: Record<string, string[]> = {
  "connect.js": ["connection", "connect"],
  "common/context.js": ["Context"],
  "module/decorators.js": ["func", "check", "generate", "argument", "object", "field", "enumType"],
  "module/entrypoint/entrypoint.js": ["entrypoint"],
  "telemetry/index.js": ["getTracer"],
};

/** The npm package's dist/src directory, resolved from the module's own dependencies. */
export function sdkDist(): string {
  return dirname(Bun.resolveSync("@dagger.io/dagger", SDK_FROM));
}

/** The names the generated client exports (values only): the rest of the bundle's surface. */
export async function clientExports(): Promise<string[]> {
  const client = (await import(join(sdkDist(), "api", "client.gen.js"))) as Record<string, unknown>;
  return Object.keys(client);
}

let built: string | undefined;

/**
 * The bundled library as the runtime mounts it: index.ts (the pinned export list), core.js (one
 * self-contained file; typescript stays external, as the runtime installs it beside), telemetry.ts
 * and client.gen.ts. (core.d.ts, for the editor only, is left out.) Built once per test process.
 */
export async function sdkBundle(): Promise<string> {
  if (built) return built;
  const dist = sdkDist();
  const work = mkdtempSync(join(tmpdir(), "dagger-sdk-bundle-"));
  removeAtExit(work);
  const entry = join(work, "core-entry.ts");
  writeFileSync(
    entry,
    Object.entries(CORE_SOURCES)
      .map(([file, names]) => `export { ${names.join(", ")} } from ${JSON.stringify(join(dist, file))};`)
      .join("\n"),
  );
  const out = join(work, "sdk");
  mkdirSync(out);
  const result = await Bun.build({
    entrypoints: [entry],
    target: "bun",
    format: "esm",
    external: ["typescript"],
  });
  if (!result.success) throw new Error(`could not bundle the SDK's core.js:\n${result.logs.join("\n")}`);
  writeFileSync(join(out, "core.js"), await result.outputs[0]!.text());
  writeFileSync(
    join(out, "index.ts"),
    [
      `export { ${BUNDLE_CORE_EXPORTS.join(", ")} } from "./core.js"`,
      `export type { ConnectOpts, CallbackFct } from "./core.js"`,
      `export * from "./client.gen.js"`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(out, "telemetry.ts"), `import { getTracer } from "./core.js"\n\nexport { getTracer }\n`);
  // The generated client in bundle mode takes its Context from ./core.js, like the runtime's.
  const client = readFileSync(join(dist, "api", "client.gen.js"), "utf8");
  const rewired = client.replace(/from "\.\.\/common\/context\.js"/g, 'from "./core.js"');
  if (rewired === client) throw new Error("the SDK's client.gen.js no longer imports ../common/context.js");
  writeFileSync(join(out, "client.gen.ts"), rewired);
  built = out;
  return out;
}
