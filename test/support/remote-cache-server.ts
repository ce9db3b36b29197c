// The real Turborepo remote cache server (`turborepo-remote-cache`, a pinned devDependency) on
// 127.0.0.1 and a free port, storing in a fresh directory: for the remote cache tests and
// bench:cache's new-machine runs. Started `signed`, it keeps artifact tags, and then serves only
// artifacts that came with one (a GET of an unsigned one is a 404).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export type RemoteCacheServer = { url: string; storage: string; stop: () => void };

export async function startRemoteCacheServer(token: string, signed: boolean): Promise<RemoteCacheServer> {
  const storage = mkdtempSync(join(tmpdir(), "monorepo-ci-remote-store-"));
  const port = await freePort();
  const child = spawn(join(REPO, "node_modules/.bin/turborepo-remote-cache"), [], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      TURBO_TOKEN: token,
      STORAGE_PROVIDER: "local",
      STORAGE_PATH: storage,
      STORAGE_PATH_USE_TMP_FOLDER: "false",
      ...(signed && { TURBO_REMOTE_CACHE_SIGNATURE_KEY: "server-keeps-tags" }),
      LOG_LEVEL: "error",
    },
    stdio: "ignore",
  });
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(storage, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${url}/v8/artifacts/status`, { headers: { Authorization: `Bearer ${token}` } });
      if (r.ok) return { url, storage, stop };
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(100);
  }
  stop();
  throw new Error("turborepo-remote-cache did not start within 30s");
}
