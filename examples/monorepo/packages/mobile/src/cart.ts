import { add, format, type Money } from "@example/money";

export type Line = { sku: string; unit: Money; quantity: number };
export type Cart = { lines: Line[] };

export type CartAction =
  { type: "add"; sku: string; unit: Money } | { type: "remove"; sku: string } | { type: "clear" };

/** A pure reducer, so the app's screens and its tests share one source of truth. */
export function reduce(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case "add": {
      const existing = cart.lines.find((l) => l.sku === action.sku);
      if (existing) {
        return {
          lines: cart.lines.map((l) =>
            l.sku === action.sku ? { ...l, quantity: l.quantity + 1 } : l,
          ),
        };
      }
      return { lines: [...cart.lines, { sku: action.sku, unit: action.unit, quantity: 1 }] };
    }
    case "remove":
      return { lines: cart.lines.filter((l) => l.sku !== action.sku) };
    case "clear":
      return { lines: [] };
  }
}

export function total(cart: Cart): string {
  const sum = cart.lines.reduce<Money>(
    (acc, l) => add(acc, { cents: l.unit.cents * l.quantity, currency: l.unit.currency }),
    { cents: 0, currency: cart.lines[0]?.unit.currency ?? "EUR" },
  );
  return format(sum);
}
