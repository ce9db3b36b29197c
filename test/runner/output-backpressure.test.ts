// The runner's terminal writer holds a job's output back while stdout is full, however the stream
// says so: bun's stdout reports it only through write()'s result (writableLength stays 0).
import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { BatchedWriter } from "../../.buildkite/lib/runner/output.ts";

/** A stream like bun's stdout on a pipe: write() returns whether there is room; drain says when. */
function pipeLike(accepts: () => boolean) {
  const stream = Object.assign(new EventEmitter(), { writableLength: 0 });
  const written: string[] = [];
  const out = (text: string) => {
    written.push(text);
    return accepts();
  };
  return { stream: stream as unknown as NodeJS.WritableStream, emitter: stream, written, out };
}

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  return done;
};

describe("BatchedWriter.room()", () => {
  test("is there at once while writes are accepted", async () => {
    const { stream, out } = pipeLike(() => true);
    const w = new BatchedWriter(out, stream);
    w.write("x".repeat(70_000));
    expect(await settled(w.room())).toBe(true);
  });

  test("waits after a write that found the stream full, until it drains", async () => {
    const { stream, emitter, out, written } = pipeLike(() => false);
    const w = new BatchedWriter(out, stream);
    w.write("x".repeat(70_000));
    expect(written.length).toBe(1);
    const room = w.room();
    expect(await settled(room)).toBe(false);
    emitter.emit("drain");
    expect(await settled(room)).toBe(true);
  });

  test("a drain that came before anyone asked is not missed", async () => {
    const { stream, emitter, out } = pipeLike(() => false);
    const w = new BatchedWriter(out, stream);
    w.write("x".repeat(70_000));
    emitter.emit("drain");
    expect(await settled(w.room())).toBe(true);
  });
});
