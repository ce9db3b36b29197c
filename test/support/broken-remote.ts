// A remote cache server broken in one way, in its own process (the tests run the CLI with
// spawnSync, which would stall a server in theirs): `bun broken-remote.ts <mode>` prints its port
// and serves until killed. Modes:
//   hang       never answers;
//   500        answers every request with a server error;
//   401        refuses the token, as a server does after it was rotated;
//   garbage    answers GETs with a body that is not an artifact;
//   stall      sends the headers and the start of a body, then nothing;
//   truncated  promises a longer body than it sends, then closes the connection;
//   endless    streams a body that never ends;
//   bomb       answers with a small gzipped body that unpacks to 64 MB of zeros;
//   put-hang   has no artifact, and never answers an upload;
//   put-403    has no artifact, and refuses every upload (a read-only token);
//   redirect   sends every request to a second server on another port, which appends what
//              Authorization header it got to the file named by the next argument, and has no artifact.

import { appendFileSync } from "node:fs";

const mode = process.argv[2];
const bomb = mode === "bomb" ? Bun.gzipSync(new Uint8Array(64 * 1024 * 1024)) : undefined;
const elsewhere =
  mode === "redirect"
    ? Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        fetch(req) {
          appendFileSync(
            process.argv[3] ?? "",
            `${req.method} auth:${req.headers.get("authorization") ?? "none"}\n`,
          );
          return new Response("not found", { status: 404 });
        },
      })
    : undefined;
const artifact = (req: Request) =>
  req.method === "GET" && new URL(req.url).pathname.startsWith("/v8/artifacts/");
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    if (elsewhere) {
      const url = new URL(req.url);
      return Response.redirect(`http://127.0.0.1:${elsewhere.port}${url.pathname}${url.search}`, 307);
    }
    if (mode === "hang") return new Promise<Response>(() => {});
    if (mode === "500") return new Response("boom", { status: 500 });
    if (mode === "401") return new Response('{"error":"unauthorized"}', { status: 401 });
    if (mode === "put-hang" || mode === "put-403") {
      if (req.method !== "PUT") return new Response("not found", { status: 404 });
      return mode === "put-hang"
        ? new Promise<Response>(() => {})
        : new Response("forbidden", { status: 403 });
    }
    if (!artifact(req)) return new Response("ok");
    if (mode === "garbage") return new Response("not an artifact");
    if (mode === "bomb") return new Response(bomb);
    if (mode === "stall")
      return new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array([0x1f, 0x8b, 8, 0]));
          },
        }),
        { headers: { "content-length": "4096" } },
      );
    if (mode === "endless")
      return new Response(
        new ReadableStream({
          pull(c) {
            c.enqueue(new Uint8Array(64 * 1024));
          },
        }),
      );
    return new Response(`unknown mode ${mode}`, { status: 400 });
  },
});

// A body cut short needs a raw socket: an HTTP library finishes what it promised.
const raw =
  mode === "truncated"
    ? Bun.listen({
        hostname: "127.0.0.1",
        port: 0,
        socket: {
          data(socket, data) {
            const line = data.toString().split("\r\n")[0] ?? "";
            if (!/^GET \/v8\/artifacts\//.test(line)) {
              socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
              return;
            }
            socket.write("HTTP/1.1 200 OK\r\ncontent-length: 4096\r\n\r\n");
            socket.end(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]));
          },
        },
      })
    : undefined;
process.stdout.write(`${raw?.port ?? server.port}\n`);
