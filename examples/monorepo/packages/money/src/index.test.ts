import { expect, test } from "bun:test";
import { add, format } from "./index";

test("adds same-currency amounts", () => {
  expect(add({ cents: 150, currency: "EUR" }, { cents: 275, currency: "EUR" })).toEqual({
    cents: 425,
    currency: "EUR",
  });
});

test("refuses mixed currencies", () => {
  expect(() => add({ cents: 1, currency: "EUR" }, { cents: 1, currency: "USD" })).toThrow(
    "cannot add EUR to USD",
  );
});

test("formats negative amounts with two decimals", () => {
  expect(format({ cents: -1205, currency: "USD" })).toBe("-$12.05");
});
