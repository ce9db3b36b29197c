import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliName } from "../catalog/catalog.ts";
import { FunctionArgument } from "../catalog/schema.ts";

/** A module function as the engine would register it, read by the SDK's own introspector. */
export type IntrospectedFunction = {
  method: string;
  name: string;
  description: string;
  isCheck: boolean;
  cache: string | undefined;
  arguments: (FunctionArgument & { defaultPath?: string; ignore?: string[] })[];
};

type ScannedArgument = {
  name: string;
  type?: { kind: string; name?: string };
  isOptional: boolean;
  isNullable: boolean;
  defaultValue?: unknown;
  defaultPath?: string;
  ignore?: string[];
};
type ScannedFunction = {
  name: string;
  description: string;
  isCheck: boolean;
  cache?: string;
  arguments: Record<string, ScannedArgument>;
};
type ScannedModule = { objects: Record<string, { methods?: Record<string, ScannedFunction> }> };

const SOURCE_DIR = fileURLToPath(new URL("..", import.meta.url));
const SCALARS: Record<string, FunctionArgument["type"]> = { STRING_KIND: "String", BOOLEAN_KIND: "Boolean" };

function typeName(arg: ScannedArgument, where: string): FunctionArgument["type"] {
  const t = arg.type;
  const name = t?.kind === "OBJECT_KIND" ? t.name : t ? SCALARS[t.kind] : undefined;
  const known = FunctionArgument.shape.type.safeParse(name);
  if (known.success) return known.data;
  throw new Error(
    `${where}: argument ${arg.name} has a type the catalog cannot describe: ${JSON.stringify(t)}`,
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/**
 * Runs `scan()` from the SDK's introspector on the module source without loading it, exactly as
 * the engine's TypeScript runtime does at registration. The introspector resolves Dagger's types
 * from a file named client.gen.ts, which the npm package ships only as client.gen.d.ts.
 */
export async function introspectModule(moduleName = "monorepo"): Promise<IntrospectedFunction[]> {
  const sdkDist = dirname(fileURLToPath(import.meta.resolve("@dagger.io/dagger")));
  const work = mkdtempSync(join(tmpdir(), "monorepo-ci-introspect-"));
  try {
    const clientGen = join(work, "client.gen.ts");
    copyFileSync(join(sdkDist, "api", "client.gen.d.ts"), clientGen);
    const { scan } = (await import(join(sdkDist, "module", "introspector", "index.js"))) as {
      scan: (files: string[], name: string, load: boolean) => Promise<ScannedModule>;
    };
    const scanned = await scan([...sourceFiles(SOURCE_DIR), clientGen], moduleName, false);
    const main = scanned.objects.Monorepo;
    if (!main) throw new Error(`introspection found no Monorepo object in ${SOURCE_DIR}`);
    return Object.values(main.methods ?? {})
      .map((fn) => ({
        method: fn.name,
        name: cliName(fn.name),
        description: fn.description,
        isCheck: fn.isCheck,
        cache: fn.cache,
        arguments: Object.values(fn.arguments).map((a) => ({
          name: a.name,
          type: typeName(a, fn.name),
          optional: a.isOptional || a.defaultValue !== undefined || a.defaultPath !== undefined,
          ...(a.defaultPath !== undefined && { defaultPath: a.defaultPath }),
          ...(a.ignore !== undefined && { ignore: a.ignore }),
        })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
