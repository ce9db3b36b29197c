import { expect, test } from "bun:test";
import { handle } from "./app";

test("health answers ok", async () => {
  const res = handle(new Request("http://x/health"));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

test("greet slugifies the name", async () => {
  const res = handle(new Request("http://x/greet?name=Ada%20Lovelace"));
  expect(await res.json()).toEqual({ greeting: "hello Ada Lovelace", slug: "ada-lovelace" });
});

test("unknown paths are 404", () => {
  expect(handle(new Request("http://x/nope")).status).toBe(404);
});
