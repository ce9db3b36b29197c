// Run by .ci/setup, which may use the network: each adopted fixture moved to bun as
// docs/package-managers.md says (its manifests edited, then `bun install`, which migrates a
// pnpm-lock.yaml or package-lock.json to bun.lock), into .ci/.fixtures/<name>. The tests copy
// from there and never install. Node builtins only: it runs before the repository's own install.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonIndentOf } from "../../.dagger/src/text/json-indent.ts";
import { ADOPTED, FIXTURES, PREPARED, type ManifestEdit } from "./fixtures.ts";

/** Applies an edit to a package.json in the indent it already has (a tab, or its spaces). */
function editManifest(file: string, change: ManifestEdit): void {
  const text = readFileSync(file, "utf8");
  const json = JSON.parse(text) as Record<string, unknown>;
  const merge = (key: "scripts" | "devDependencies") => {
    const add = change[key];
    if (add) json[key] = { ...(json[key] as Record<string, string> | undefined), ...add };
  };
  merge("scripts");
  merge("devDependencies");
  if (change.packageManager) json.packageManager = change.packageManager;
  writeFileSync(file, `${JSON.stringify(json, null, jsonIndentOf(text))}\n`);
}

mkdirSync(PREPARED, { recursive: true });
for (const fixture of FIXTURES) {
  const dest = join(PREPARED, fixture.name);
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(ADOPTED, fixture.name, "repo"), dest, { recursive: true });
  for (const [manifest, change] of Object.entries(fixture.migrate))
    editManifest(join(dest, manifest), change);
  const frozen = existsSync(join(dest, "bun.lock")) ? ["--frozen-lockfile"] : [];
  const r = spawnSync("bun", ["install", ...frozen], { cwd: dest, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`prepare: bun install failed in ${dest} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  console.log(`prepared ${fixture.name} in ${dest}`);
}
