// The engine's bun runtime gives the module a generated `@dagger.io/dagger` that exports a fixed
// list of names (test/support/engine/sdk-bundle.ts). A value import of any other name kills every
// call while the module loads, so every import of the SDK under .dagger/src is read here with the
// TypeScript parser, the way the runtime's loader will meet it, and checked against that surface.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { isExecError } from "../../.dagger/src/executors/exec-error.ts";
import { BUNDLE_CORE_EXPORTS, clientExports, sdkDist } from "../support/engine/sdk-bundle.ts";
import { invoke } from "../support/engine/invoke.ts";
import { EXAMPLE, REPO } from "../support/helpers.ts";

setDefaultTimeout(120_000);

const SDK = "@dagger.io/dagger";
const MODULE = join(REPO, ".dagger");

/** Every value the file takes from the SDK, or a reason it cannot be checked. */
export function sdkValueImports(path: string, text: string): string[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier
        ? (node.moduleSpecifier as ts.StringLiteral).text
        : undefined;
    if (ts.isImportDeclaration(node) && spec === SDK && !node.importClause?.isTypeOnly) {
      const clause = node.importClause;
      if (clause?.name) found.push("default import");
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) found.push(`* as ${bindings.name.text}`);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (!el.isTypeOnly) found.push((el.propertyName ?? el.name).text);
      }
    }
    if (ts.isExportDeclaration(node) && spec === SDK && !node.isTypeOnly) {
      const clause = node.exportClause;
      if (!clause) found.push("export *");
      else if (ts.isNamedExports(clause))
        for (const el of clause.elements) if (!el.isTypeOnly) found.push((el.propertyName ?? el.name).text);
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg) && arg.text === SDK) found.push("dynamic import()");
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const moduleFiles = readdirSync(join(MODULE, "src"), { recursive: true, encoding: "utf8" })
  .filter((f) => /\.m?ts$/.test(f) && !f.endsWith(".d.ts"))
  .map((f) => join(MODULE, "src", f));

describe("the module imports only what the runtime's SDK bundle exports", () => {
  test("every value imported from @dagger.io/dagger under .dagger/src is in the bundle", async () => {
    const allowed = new Set<string>([...BUNDLE_CORE_EXPORTS, ...(await clientExports())]);
    const outside = moduleFiles.flatMap((file) =>
      sdkValueImports(file, readFileSync(file, "utf8"))
        .filter((name) => !allowed.has(name))
        .map((name) => `${file.slice(REPO.length + 1)}: ${name}`),
    );
    expect(outside).toEqual([]);
    // The surface is what it is said to be: the client gives dag and ReturnType, not ExecError.
    expect(allowed.has("dag")).toBe(true);
    expect(allowed.has("ReturnType")).toBe(true);
    expect(allowed.has("ExecError")).toBe(false);
  });

  test("the reader catches each way a name outside the bundle can come in", () => {
    const cases = {
      'import { ExecError } from "@dagger.io/dagger";': ["ExecError"],
      'import { dag, ExecError as E, type Container } from "@dagger.io/dagger";': ["dag", "ExecError"],
      'import * as dagger from "@dagger.io/dagger";': ["* as dagger"],
      'import dagger from "@dagger.io/dagger";': ["default import"],
      'export { GraphQLRequestError } from "@dagger.io/dagger";': ["GraphQLRequestError"],
      'const m = await import("@dagger.io/dagger");': ["dynamic import()"],
      'import type { ExecError } from "@dagger.io/dagger";': [],
      'import { ExecError } from "./elsewhere.ts";': [],
    };
    for (const [code, names] of Object.entries(cases)) expect(sdkValueImports("x.ts", code)).toEqual(names);
  });

  test("loaded as the runtime loads it, a module importing ExecError dies on load", async () => {
    const copy = mkdtempSync(join(tmpdir(), "module-exec-error-"));
    try {
      cpSync(MODULE, copy, { recursive: true, filter: (src) => !src.includes("/node_modules") });
      writeFileSync(
        join(copy, "src", "leak.ts"),
        'import { ExecError } from "@dagger.io/dagger";\nexport const E = ExecError;\n',
      );
      const r = await invoke({ fn: "complianceCheck", sourceDir: EXAMPLE }, copy);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain("Export named 'ExecError' not found");
      expect(r.recording.returned).toBeUndefined();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe("exec errors are recognized by shape", () => {
  test("the SDK's ExecError is one; FunctionNotFound, which shares its name, is not", async () => {
    const errors = (await import(join(sdkDist(), "common", "errors", "index.js"))) as Record<
      string,
      new (message: string, options: Record<string, unknown>) => Error
    >;
    const exec = new errors.ExecError!("process failed", {
      cmd: ["bun", "test"],
      exitCode: 1,
      stdout: "",
      stderr: "1 fail",
      extensions: { _type: "EXEC_ERROR" },
    });
    expect(isExecError(exec)).toBe(true);
    const notFound = new errors.FunctionNotFound!("no function", {});
    expect(notFound.name).toBe(exec.name);
    expect(isExecError(notFound)).toBe(false);
    expect(isExecError(Object.assign(new Error("x"), { name: "ExecError" }))).toBe(false);
    expect(
      isExecError({ extensions: { _type: "EXEC_ERROR" }, cmd: [], exitCode: 1, stdout: "", stderr: "" }),
    ).toBe(false);
  });
});
