// The module used by reference (a Dagger toolchain, as `monorepo-ci init` wires it): the engine
// fetches the module's repository into its own cache and runs its checks against the user's
// repository, which every check's `source` names with defaultPath "/". Here: the module copied
// out of this repository, as a fetched ref would be, laid out as the bun runtime lays it out, and
// a user's repository elsewhere as the source. What only a real engine proves (that it resolves a
// toolchain's defaultPath against the installing repository) is in docs/package.md.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { invoke } from "../support/engine/invoke.ts";
import { copyExample, REPO, write } from "../support/helpers.ts";

// These tests start real processes and containers; a busy machine must not fail them by the clock.
setDefaultTimeout(600_000);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The module as the engine would fetch it from its reference: its dagger.json and .dagger/. */
function fetchedModule(): string {
  const ref = mkdtempSync(join(tmpdir(), "monorepo-ci-ref-"));
  dirs.push(ref);
  cpSync(join(REPO, "dagger.json"), join(ref, "dagger.json"));
  cpSync(join(REPO, ".dagger"), join(ref, ".dagger"), {
    recursive: true,
    filter: (src) => !["node_modules", "sdk"].includes(basename(src)),
  });
  // A key file in the module's own source (the runtime mounts it, currentModule().source() returns
  // it): a check that read the module's files instead of the source it was given would find it.
  write(ref, ".dagger/module-only.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  return join(ref, ".dagger");
}

describe("the module by reference", () => {
  test("its checks read the user's repository, not the module's own", async () => {
    const module = fetchedModule();
    const user = copyExample();
    dirs.push(user);
    // The user's repository is the demo plus a key file: the module's repository has none.
    write(user, "certs/server.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const seeded = await invoke({ fn: "complianceCheck", sourceDir: user }, module);
    expect(seeded.recording.returned?.kind).toBe("error");
    const message = seeded.recording.returned?.kind === "error" ? seeded.recording.returned.message : "";
    expect(message).toContain("certs/server.pem: secrets or keys must not be committed");
    // Nothing of the module's own repository was read as the source.
    expect(message).not.toContain("module-only.pem");

    // Clean, the user's repository passes, though the module's own holds a key file.
    rmSync(join(user, "certs"), { recursive: true });
    const clean = await invoke({ fn: "complianceCheck", sourceDir: user }, module);
    expect(clean.recording.returned?.kind, clean.stderr).toBe("value");
    expect(
      String(clean.recording.returned?.kind === "value" ? clean.recording.returned.value : ""),
    ).toContain("Compliance: PASSED");
  });

  test("every check's source is the caller's repository root (defaultPath \"/\")", () => {
    // A toolchain's defaultPath resolves against the repository that installs it; "/" is its root.
    const index = readFileSync(join(REPO, ".dagger/src/index.ts"), "utf8");
    const sources = [...index.matchAll(/@argument\(\{([^}]*)\}\)\s*source\b/g)].map((m) => m[1] ?? "");
    expect(sources.length).toBeGreaterThanOrEqual(5);
    for (const decl of sources) expect(decl).toContain('defaultPath: "/"');
  });
});
