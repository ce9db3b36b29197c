import { expect, test } from "bun:test";
import { reduce, total, type Cart } from "./cart";

const empty: Cart = { lines: [] };
const apple = { cents: 120, currency: "EUR" as const };

test("adding the same sku twice bumps the quantity", () => {
  const cart = reduce(reduce(empty, { type: "add", sku: "apple", unit: apple }), {
    type: "add",
    sku: "apple",
    unit: apple,
  });
  expect(cart.lines).toHaveLength(1);
  expect(cart.lines[0]?.quantity).toBe(2);
  expect(total(cart)).toBe("€2.40");
});

test("remove and clear empty the cart", () => {
  const cart = reduce(empty, { type: "add", sku: "apple", unit: apple });
  expect(reduce(cart, { type: "remove", sku: "apple" }).lines).toEqual([]);
  expect(reduce(cart, { type: "clear" })).toEqual(empty);
});

test("an empty cart totals zero", () => {
  // @ts-expect-error: reduce refuses unknown actions at compile time; at run time it returns undefined.
  expect(reduce(empty, { type: "unknown" })).toBeUndefined();
  expect(total(empty)).toBe("€0.00");
});
