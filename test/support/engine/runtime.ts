// The module laid out the way the engine's bun runtime lays it out before it calls a function
// (dagger/dagger, branch backport-0.21: sdk/typescript/runtime/runtime_bun.go `SetupContainer`
// and `GenerateDir`, config.go, tsutils/package_json_updator.go and tsconfig_updator.go):
// - package.json rewritten: "type": "module", a `typescript` dependency added when there is
//   none, `@dagger.io/dagger` deleted from dependencies and devDependencies;
// - the module's bun.lock and bunfig.toml, then `bun install --no-verify --omit=dev --omit=peer
//   --omit=optional`: production dependencies only, against the rewritten package.json;
// - the SDK bundle (sdk-bundle.ts) at sdk/ and at node_modules/@dagger.io/dagger;
// - tsconfig.json with `paths` for @dagger.io/dagger and experimentalDecorators;
// - the rest of the module's files, without its config files, sdk/ and node_modules;
// - src/__dagger.entrypoint.ts, started with `bun run`.
// `currentModule().source()` is that directory without node_modules, as GenerateDir returns it
// (with a bun.lock regenerated for the rewritten package.json).
// Nothing here may reach the network: installs run in a network namespace with no interface,
// so a dependency that is not already in bun's cache fails the layout instead of being fetched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeAtExit } from "../cleanup.ts";
import { capture } from "../process.ts";
import { sdkBundle } from "./sdk-bundle.ts";

/** tsdistconsts.DefaultTypeScriptVersion at backport-0.21: what the runtime adds when none is set. */
export const RUNTIME_DEFAULT_TYPESCRIPT = "5.9.3";

/** config.go `moduleConfigFiles`: left out of the copied source, the runtime writes its own. */
const CONFIG_FILES = new Set([
  "package.json",
  "tsconfig.json",
  "pnpm-workspace.yaml",
  ".yarnrc.yml",
  "package-lock.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "bun.lock",
  "bunfig.toml",
  "deno.json",
  "deno.lock",
]);

/** Written from the runtime's entrypoint behaviour (tsutils/bin/__dagger.entrypoint.ts). */
const ENTRYPOINT = `import { entrypoint } from "@dagger.io/dagger"
import { existsSync, readdirSync, statSync } from "node:fs"
import { extname, join } from "node:path"

// Every .ts and .mts file under src/, all imported before the function is dispatched, then the
// generated client: sdk/client.gen.ts in the bundled layout (no sdk/package.json).
const bundled = !existsSync(join(import.meta.dirname, "..", "sdk", "package.json"))
function moduleFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return moduleFiles(path)
    return [".ts", ".mts"].includes(extname(path)) ? [path] : []
  })
}
const client = join(import.meta.dirname, "..", "sdk", bundled ? "client.gen.ts" : "src/api/client.gen.ts")
entrypoint([client, ...moduleFiles(import.meta.dirname)])
`;

type Manifest = {
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  dagger?: { runtime?: string; baseImage?: string };
};

/** UpdatePackageJSONForModule. */
export function rewritePackageJson(text: string): Manifest {
  const pkg = JSON.parse(text) as Manifest;
  pkg.type = "module";
  pkg.dependencies ??= {};
  pkg.dependencies.typescript ??= RUNTIME_DEFAULT_TYPESCRIPT;
  delete pkg.dependencies["@dagger.io/dagger"];
  if (pkg.devDependencies) delete pkg.devDependencies["@dagger.io/dagger"];
  return pkg;
}

/** UpdateTSConfigForModule (the module's tsconfig has no comments, so JSON.parse reads it). */
function rewriteTsconfig(text: string): string {
  const tsconfig = JSON.parse(text) as { compilerOptions?: Record<string, unknown> };
  const options = (tsconfig.compilerOptions ??= {});
  options.paths = {
    ...(options.paths as Record<string, string[]> | undefined),
    "@dagger.io/dagger": ["./sdk/index.ts"],
    "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
  };
  options.experimentalDecorators = true;
  return `${JSON.stringify(tsconfig, null, 2)}\n`;
}

async function run(argv: string[], cwd: string, what: string): Promise<void> {
  // In a network namespace of its own, with no interface up: bun's cache or nothing.
  const r = await capture(["unshare", "--net", "--", ...argv], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
  });
  if (r.exitCode !== 0) {
    throw new Error(
      `the runtime's ${what} (${argv.join(" ")}) exited ${r.exitCode}:\n${r.stdout}${r.stderr}`,
    );
  }
}

const layouts = new Map<string, Promise<string>>();

/** The runtime-shaped copy of the module at `moduleDir`, built once per process. */
export function runtimeLayout(moduleDir: string): Promise<string> {
  let layout = layouts.get(moduleDir);
  if (!layout) {
    layout = build(moduleDir);
    layouts.set(moduleDir, layout);
  }
  return layout;
}

async function build(moduleDir: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), "dagger-runtime-"));
  removeAtExit(root);
  // The engine mounts the module's context at /src; the module source is its subpath.
  const dir = join(root, "src", ".dagger");
  mkdirSync(dir, { recursive: true });

  const original = JSON.parse(readFileSync(join(moduleDir, "package.json"), "utf8")) as Manifest;
  const runtime = original.dagger?.runtime ?? "";
  if (!runtime.startsWith("bun")) {
    throw new Error(`the stand-in models the bun runtime only; package.json dagger.runtime is "${runtime}"`);
  }
  if (original.dependencies?.typescript === RUNTIME_DEFAULT_TYPESCRIPT) {
    throw new Error(
      "typescript at the runtime's default version is mounted by the runtime, which the stand-in cannot do",
    );
  }
  const pkg = rewritePackageJson(readFileSync(join(moduleDir, "package.json"), "utf8"));
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const file of ["bun.lock", "bunfig.toml"]) {
    if (existsSync(join(moduleDir, file))) cpSync(join(moduleDir, file), join(dir, file));
  }
  await run(
    ["bun", "install", "--no-verify", "--omit=dev", "--omit=peer", "--omit=optional"],
    dir,
    "install",
  );
  await run(["bun", "install", "--lockfile-only"], dir, "lockfile");

  const bundle = await sdkBundle();
  cpSync(bundle, join(dir, "sdk"), { recursive: true });
  cpSync(bundle, join(dir, "node_modules", "@dagger.io", "dagger"), { recursive: true });
  writeFileSync(
    join(dir, "tsconfig.json"),
    rewriteTsconfig(readFileSync(join(moduleDir, "tsconfig.json"), "utf8")),
  );
  cpSync(moduleDir, dir, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(moduleDir.length + 1);
      const top = rel.split("/")[0] ?? "";
      return !(CONFIG_FILES.has(rel) || top === "sdk" || top === "node_modules");
    },
  });
  writeFileSync(join(dir, "src", "__dagger.entrypoint.ts"), ENTRYPOINT);
  return dir;
}
