export type Money = { cents: number; currency: "EUR" | "USD" };

/** Integer cents avoid float drift when totals are summed. */
export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new Error(`cannot add ${a.currency} to ${b.currency}`);
  }
  return { cents: a.cents + b.cents, currency: a.currency };
}

export function format(m: Money): string {
  const sign = m.cents < 0 ? "-" : "";
  const abs = Math.abs(m.cents);
  const units = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  const symbol = m.currency === "EUR" ? "€" : "$";
  return `${sign}${symbol}${units}.${rest}`;
}
