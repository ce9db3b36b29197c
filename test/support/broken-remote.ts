// A remote cache server broken in one way, in its own process (the tests run the CLI with
// spawnSync, which would stall a server in theirs): `bun broken-remote.ts <hang|500|garbage>`
// prints its port and serves until killed.
const mode = process.argv[2];
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    if (mode === "hang") return new Promise<Response>(() => {});
    if (mode === "500") return new Response("boom", { status: 500 });
    if (mode === "garbage")
      return req.method === "GET" ? new Response("not an artifact") : new Response("ok");
    return new Response(`unknown mode ${mode}`, { status: 400 });
  },
});
process.stdout.write(`${server.port}\n`);
