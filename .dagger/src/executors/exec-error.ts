/** An exec that failed in the engine, as the SDK raises it: the command, its exit code and output. */
export type EngineExecError = Error & { cmd: string[]; exitCode: number; stdout: string; stderr: string };

/**
 * Recognizes an exec error by its shape, not its class. The engine's bun runtime replaces
 * `@dagger.io/dagger` with a bundle that does not export `ExecError` (importing it kills the
 * module on load), and the SDK's FunctionNotFound error carries the same name, so neither
 * `instanceof` nor `name` can tell. The engine marks exec failures with the `EXEC_ERROR`
 * extension, which the SDK keeps on the error beside the command, exit code and output.
 */
export function isExecError(error: unknown): error is EngineExecError {
  if (!(error instanceof Error)) return false;
  const e = error as Partial<EngineExecError> & { extensions?: { _type?: unknown } };
  return (
    e.extensions?._type === "EXEC_ERROR" &&
    Array.isArray(e.cmd) &&
    typeof e.exitCode === "number" &&
    typeof e.stdout === "string" &&
    typeof e.stderr === "string"
  );
}
