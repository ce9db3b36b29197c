import { describe, expect, test } from "bun:test";
import { slugify, truncate } from "./index";

describe("slugify", () => {
  test("folds accents and punctuation", () => {
    expect(slugify("Crème Brûlée, v2!")).toBe("creme-brulee-v2");
  });
  test("trims separators", () => {
    expect(slugify("  --hello--  ")).toBe("hello");
  });
});

describe("truncate", () => {
  test("keeps short text", () => {
    expect(truncate("short", 10)).toBe("short");
  });
  test("cuts at a word boundary", () => {
    expect(truncate("the quick brown fox", 12)).toBe("the quick…");
  });
  test("rejects a zero width", () => {
    expect(() => truncate("x", 0)).toThrow(RangeError);
  });
});
