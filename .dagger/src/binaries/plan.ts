import { CONFIG_FILE, DEFAULT_BINARY_TARGETS, type BinaryTarget } from "../config/schema.ts";
import { InputError } from "../errors.ts";
import type { CheckContext } from "../checks/context.ts";

/**
 * Which executables a monorepo ships, each as one `bun build --compile` per target: pure
 * planning over the config and the workspace, so the host and the engine build the same files.
 * Files are named `<name>-<version>-<os>-<arch>`, `.exe` on Windows, where `<name>` is the
 * package name without its scope.
 */
export type BinaryBuild = {
  /** The package directory, relative to the source root; the build runs there. */
  cwd: string;
  entry: string;
  target: BinaryTarget;
  file: string;
};

export const CHECKSUMS_FILE = "SHA256SUMS";

/**
 * What a package's name and version may be to name a binary file: no separator, no control
 * character, no space (SHA256SUMS is one file per line), and no leading dot or dash.
 */
const FILE_PART = /^[A-Za-z0-9_+~][A-Za-z0-9._+~-]*$/;
const FILE_PART_RULE = "only letters, digits and . _ + ~ -, not starting with . or -";

export async function planBinaries(ctx: CheckContext): Promise<BinaryBuild[]> {
  const files = new Set<string>();
  const sources = new Set(await ctx.view.listFiles());
  return ctx.config.binaries.flatMap((b, i) => {
    const at = `${CONFIG_FILE}: binaries[${i}]`;
    const pkg = ctx.workspace.manifests.find((m) => m.manifest.name === b.package);
    if (!pkg) throw new InputError(`${at}.package: no package named ${b.package} in the workspace`);
    const version = pkg.manifest.version;
    if (!version) throw new InputError(`${at}.package: ${pkg.manifestPath} has no "version"`);
    if (!FILE_PART.test(version)) {
      throw new InputError(
        `${pkg.manifestPath}: "version" ${JSON.stringify(version)} cannot name a file: ${FILE_PART_RULE}`,
      );
    }
    const entry = pkg.dir === "." ? b.entry : `${pkg.dir}/${b.entry}`;
    if (!sources.has(entry)) throw new InputError(`${at}.entry: ${entry} does not exist`);
    const name = b.package.replace(/^@[^/]+\//, "");
    if (!FILE_PART.test(name)) {
      throw new InputError(`${at}.package: ${JSON.stringify(name)} cannot name a file: ${FILE_PART_RULE}`);
    }
    return (b.targets ?? DEFAULT_BINARY_TARGETS).map((target) => {
      const file = `${name}-${version}-${target}${target.startsWith("windows") ? ".exe" : ""}`;
      if (files.has(file)) throw new InputError(`${at}: ${file} would be built twice`);
      files.add(file);
      return { cwd: pkg.dir, entry: b.entry, target, file };
    });
  });
}

/** `bun build --compile` for one build; the output path is the caller's. */
export const compileArgv = (b: BinaryBuild, outfile: string): string[] => [
  "bun",
  "build",
  "--compile",
  `--target=bun-${b.target}`,
  b.entry,
  "--outfile",
  outfile,
];

/** `sha256sum` format: `<hex>  <file>`, one line each, sorted by file. */
export const checksumsText = (sums: { file: string; sha256: string }[]) =>
  [...sums]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((s) => `${s.sha256}  ${s.file}\n`)
    .join("");
