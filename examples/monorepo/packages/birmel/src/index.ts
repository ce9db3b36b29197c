import { handle } from "./app";

const port = Number(process.env.PORT ?? 8080);
const server = Bun.serve({ port, hostname: "0.0.0.0", fetch: handle });
console.log(`birmel listening on :${server.port}`);
