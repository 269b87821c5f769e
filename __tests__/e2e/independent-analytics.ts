/**
 * An independent oracle for the e2e test: the four analytics recomputed from
 * the raw files alone, in plain TypeScript with integer cents, sharing no
 * code with the Glue scripts or the sql/ files. It applies the data contract
 * as written in the docs (types, required fields, positive amounts, revenue =
 * quantity x unit price, known customers and products, no future timestamps,
 * latest ingestion wins, batch rows oldest).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface CleanOrder {
  orderId: string;
  customerId: string;
  productId: string;
  orderTs: Date;
  quantity: number;
  revenueCents: number;
  /** null for batch CSV rows: older than any incremental row. */
  ingestedAt: number | null;
  source: string;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function records(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, "utf8")).filter((r) => !(r.length === 1 && r[0] === ""));
  return rows.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** "12.30" -> 1230; anything else -> NaN. */
function cents(value: unknown): number {
  const text = typeof value === "number" ? value.toFixed(2) : String(value ?? "");
  if (!/^-?\d+(\.\d{1,2})?$/.test(text)) return NaN;
  const [whole, fraction = ""] = text.replace("-", "").split(".");
  const magnitude = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return text.startsWith("-") ? -magnitude : magnitude;
}

function timestamp(value: unknown): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function validOrder(
  raw: Record<string, unknown>,
  source: string,
  known: { customers: Set<string>; products: Set<string> },
  now: Date,
  ingested: boolean,
): CleanOrder | null {
  const required = ["order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue"];
  if (required.some((k) => raw[k] === undefined || raw[k] === null || raw[k] === "")) return null;
  const quantity = Number(raw.quantity);
  const priceCents = cents(raw.unit_price);
  const revenueCents = cents(raw.revenue);
  const orderTs = timestamp(raw.order_ts);
  if (!Number.isInteger(quantity) || Number.isNaN(priceCents) || Number.isNaN(revenueCents) || !orderTs) return null;
  if (quantity <= 0 || priceCents <= 0 || revenueCents <= 0) return null;
  if (Math.abs(revenueCents - quantity * priceCents) > 1) return null;
  if (!known.customers.has(String(raw.customer_id)) || !known.products.has(String(raw.product_id))) return null;
  if (orderTs.getTime() > now.getTime() + 60 * 60_000) return null;
  let ingestedAt: number | null = null;
  if (ingested) {
    const at = timestamp(raw.ingested_at);
    if (!at) return null;
    ingestedAt = at.getTime();
  }
  return {
    orderId: String(raw.order_id),
    customerId: String(raw.customer_id),
    productId: String(raw.product_id),
    orderTs,
    quantity,
    revenueCents,
    ingestedAt,
    source,
  };
}

export interface RawLake {
  customers: Record<string, string>[];
  products: Record<string, string>[];
  orders: CleanOrder[];
}

/** Reads the raw zone and keeps one valid version per order id (latest ingestion; batch rows oldest). */
export function cleanOrdersFromRaw(lakeDir: string, files: { customers: string[]; products: string[]; orders: string[]; incremental: string[] }, now: Date): RawLake {
  const customers = files.customers.flatMap(records);
  const products = files.products.flatMap(records);
  const known = { customers: new Set(customers.map((c) => c.customer_id)), products: new Set(products.map((p) => p.product_id)) };
  const candidates: CleanOrder[] = [];
  for (const file of files.orders) {
    for (const row of records(file)) {
      const order = validOrder(row, relative(lakeDir, file), known, now, false);
      if (order) candidates.push(order);
    }
  }
  for (const file of files.incremental) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      if (parsed && typeof parsed === "object") {
        const order = validOrder(parsed as Record<string, unknown>, relative(lakeDir, file), known, now, true);
        if (order) candidates.push(order);
      }
    }
  }
  const latest = new Map<string, CleanOrder>();
  for (const order of candidates) {
    const current = latest.get(order.orderId);
    if (!current || (order.ingestedAt ?? -Infinity) > (current.ingestedAt ?? -Infinity)) latest.set(order.orderId, order);
  }
  return { customers, products, orders: [...latest.values()] };
}

const utcDate = (d: Date) => d.toISOString().slice(0, 10);
const money = (c: number) => `${c < 0 ? "-" : ""}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, "0")}`;

export function dailyRevenue(lake: RawLake) {
  const days = new Map<string, { orders: number; units: number; cents: number }>();
  for (const o of lake.orders) {
    const day = days.get(utcDate(o.orderTs)) ?? { orders: 0, units: 0, cents: 0 };
    day.orders += 1;
    day.units += o.quantity;
    day.cents += o.revenueCents;
    days.set(utcDate(o.orderTs), day);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([order_date, d]) => ({ order_date, orders: d.orders, units: d.units, revenue: money(d.cents) }));
}

export function topProducts(lake: RawLake) {
  const byProduct = new Map<string, { orders: number; units: number; cents: number }>();
  for (const o of lake.orders) {
    const p = byProduct.get(o.productId) ?? { orders: 0, units: 0, cents: 0 };
    p.orders += 1;
    p.units += o.quantity;
    p.cents += o.revenueCents;
    byProduct.set(o.productId, p);
  }
  return [...byProduct.entries()]
    .sort(([a, x], [b, y]) => y.cents - x.cents || a.localeCompare(b))
    .slice(0, 10)
    .map(([product_id, p]) => ({ product_id, orders: p.orders, units: p.units, revenue: money(p.cents) }));
}

export function customerLtv(lake: RawLake) {
  const regions = new Map(lake.customers.map((c) => [c.customer_id, c.region]));
  const byCustomer = new Map<string, { orders: number; cents: number; first: string; last: string }>();
  for (const o of lake.orders) {
    const day = utcDate(o.orderTs);
    const c = byCustomer.get(o.customerId) ?? { orders: 0, cents: 0, first: day, last: day };
    c.orders += 1;
    c.cents += o.revenueCents;
    if (day < c.first) c.first = day;
    if (day > c.last) c.last = day;
    byCustomer.set(o.customerId, c);
  }
  return [...byCustomer.entries()]
    .sort(([a, x], [b, y]) => y.cents - x.cents || a.localeCompare(b))
    .map(([customer_id, c]) => ({
      customer_id,
      region: regions.get(customer_id),
      orders: c.orders,
      lifetime_revenue: money(c.cents),
      first_order_date: c.first,
      last_order_date: c.last,
    }));
}

export function regionPerformance(lake: RawLake) {
  const regions = new Map(lake.customers.map((c) => [c.customer_id, c.region]));
  const byRegion = new Map<string, { customers: Set<string>; orders: number; cents: number }>();
  for (const o of lake.orders) {
    const region = regions.get(o.customerId)!;
    const r = byRegion.get(region) ?? { customers: new Set<string>(), orders: 0, cents: 0 };
    r.customers.add(o.customerId);
    r.orders += 1;
    r.cents += o.revenueCents;
    byRegion.set(region, r);
  }
  return [...byRegion.entries()]
    .sort(([a, x], [b, y]) => y.cents - x.cents || a.localeCompare(b))
    .map(([region, r]) => ({ region, customers: r.customers.size, orders: r.orders, revenue: money(r.cents) }));
}

export function rawFiles(lakeDir: string, list: (dir: string) => string[]) {
  return {
    customers: list(join(lakeDir, "raw", "customers")).filter((f) => f.endsWith(".csv")),
    products: list(join(lakeDir, "raw", "products")).filter((f) => f.endsWith(".csv")),
    orders: list(join(lakeDir, "raw", "orders")).filter((f) => f.endsWith(".csv")),
    incremental: list(join(lakeDir, "raw", "orders_incremental")).filter((f) => f.endsWith(".json")),
  };
}
