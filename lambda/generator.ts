/**
 * A pure, seeded generator of e-commerce sample data: customers, products,
 * historical orders (the batch CSVs) and incremental orders (what the
 * Lambda writes as JSON lines). Same inputs and seed -> same output; nothing
 * here reads the clock, the environment or `Math.random`.
 *
 * Money is computed in integer cents and only turned into a two-decimal
 * number at the end, so `revenue === quantity * unit_price` holds to the cent.
 *
 * Optional fault injection (`dirtyRate`) makes a share of the rows dirty in
 * the ways real feeds are, and tags each row with what was done to it. What
 * the pipeline is expected to do with each kind (reason codes from
 * `modules/config/quality.ts`):
 *
 * | dirt               | the row                                        | expected outcome                         |
 * |--------------------|------------------------------------------------|------------------------------------------|
 * | `duplicate`        | an earlier order again, later `ingested_at`    | counted as a duplicate, latest wins      |
 * | `late`             | `order_ts` 1-8 days before the batch           | valid; lands in an older partition       |
 * | `malformed`        | broken JSON / a CSV line missing a field       | quarantined, `malformed_record`          |
 * | `negative_amount`  | negative `quantity` and `revenue`              | quarantined, `not_positive:<column>`     |
 * | `unknown_customer` | a `customer_id` not among the customers        | quarantined, `unknown_customer_id`       |
 * | `future_timestamp` | `order_ts` 2-72 hours after the batch          | quarantined, `future_timestamp:order_ts` |
 *
 * This module is bundled into the Lambda: it must import nothing.
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from any strings or numbers (FNV-1a), e.g. `hashSeed(requestId)`. */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join("\u0000")) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

// ---------------------------------------------------------------------------
// Records (field names are the data contract's column names)
// ---------------------------------------------------------------------------

export const REGIONS = ["NA", "EU", "APAC", "LATAM"] as const;
export type Region = (typeof REGIONS)[number];

export interface Customer {
  /** `c-0001`, `c-0002`, ... */
  readonly customer_id: string;
  readonly name: string;
  readonly email: string;
  readonly region: Region;
  /** `YYYY-MM-DD` */
  readonly signup_date: string;
}

export interface Product {
  /** `p-001`, `p-002`, ... */
  readonly product_id: string;
  readonly name: string;
  readonly category: string;
  /** Two decimals, e.g. `19.99`. */
  readonly unit_price: number;
}

export interface Order {
  /** `o-<UTC time, compact>-<batch id>-<sequence>`: unique and sortable by creation. */
  readonly order_id: string;
  readonly customer_id: string;
  readonly product_id: string;
  /** ISO-8601 UTC, second precision: `2026-11-25T17:30:12Z`. */
  readonly order_ts: string;
  /** 1..5 (negative only in `negative_amount` dirt). */
  readonly quantity: number;
  /** The product's price, two decimals. */
  readonly unit_price: number;
  /** `quantity * unit_price`, computed in cents, two decimals. */
  readonly revenue: number;
  /** When the row was produced (ISO-8601 UTC, milliseconds); the latest version of an order wins. */
  readonly ingested_at: string;
}

export const DIRT_KINDS = [
  "duplicate",
  "late",
  "malformed",
  "negative_amount",
  "unknown_customer",
  "future_timestamp",
] as const;
export type DirtKind = (typeof DIRT_KINDS)[number];

/** One generated order and what, if anything, was done to it on purpose. */
export interface OrderRow {
  readonly order: Order;
  /** `null` for a clean row. A `malformed` row is rendered broken by the serializers. */
  readonly dirt: DirtKind | null;
}

/** Column order of the batch CSVs (`raw/<dataset>/*.csv`), as the default config declares them. */
export const CUSTOMER_COLUMNS = ["customer_id", "name", "email", "region", "signup_date"] as const;
export const PRODUCT_COLUMNS = ["product_id", "name", "category", "unit_price"] as const;
export const ORDER_COLUMNS = ["order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue"] as const;
/** Fields of an incremental JSON line: the order columns plus ingestion metadata. */
export const INCREMENTAL_ORDER_FIELDS = [...ORDER_COLUMNS, "ingested_at"] as const;
/** Columns written with exactly two decimals in CSV. */
export const MONEY_COLUMNS: readonly string[] = ["unit_price", "revenue"];

/**
 * The sample catalogue every consumer derives from the same seed: the batch
 * CSVs of `lakehouse local run`, and the Lambda, which regenerates it at start
 * instead of reading `raw/` (its role may only write). Change one, change all.
 */
export const SAMPLE_CATALOG = { seed: 20_260_101, customers: 200, products: 50 } as const;

// ---------------------------------------------------------------------------
// Customers and products
// ---------------------------------------------------------------------------

const FIRST_NAMES = [
  "Ada", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
  "Kemi", "Lucas", "Maya", "Noah", "Olga", "Pablo", "Qing", "Rosa", "Sven", "Tara",
  "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chloe", "Diego",
];
const LAST_NAMES = [
  "Silva", "Novak", "Okafor", "Tanaka", "Muller", "Garcia", "Kim", "Rossi", "Dubois", "Jensen",
  "Patel", "Nguyen", "Kowalski", "Haddad", "Larsen", "Moreau", "Costa", "Ivanova", "Sato", "Brown",
  "Fischer", "Lopez", "Chen", "Andersen", "Mendes", "Kaur", "Ortiz", "Weber", "Ali", "Smith",
];
/** Regions with their share of customers. */
const REGION_WEIGHTS: ReadonlyArray<readonly [Region, number]> = [["NA", 0.35], ["EU", 0.3], ["APAC", 0.25], ["LATAM", 0.1]];

interface CategorySpec {
  readonly name: string;
  readonly items: readonly string[];
  /** Price range in cents. */
  readonly minCents: number;
  readonly maxCents: number;
}
const CATEGORIES: readonly CategorySpec[] = [
  { name: "Electronics", items: ["Wireless Earbuds", "USB-C Charger", "Bluetooth Speaker", "Smart Watch", "Power Bank", "Webcam"], minCents: 1_500, maxCents: 24_900 },
  { name: "Home & Kitchen", items: ["Chef Knife", "French Press", "Cast Iron Pan", "Desk Lamp", "Throw Blanket", "Water Bottle"], minCents: 900, maxCents: 12_900 },
  { name: "Books", items: ["Cookbook", "Travel Guide", "Sci-Fi Novel", "Data Handbook", "Poetry Collection", "Children's Atlas"], minCents: 799, maxCents: 4_999 },
  { name: "Sports", items: ["Yoga Mat", "Running Socks", "Resistance Bands", "Cycling Gloves", "Jump Rope", "Trail Backpack"], minCents: 999, maxCents: 14_900 },
  { name: "Beauty", items: ["Face Serum", "Hand Cream", "Shampoo Bar", "Lip Balm", "Sunscreen", "Beard Oil"], minCents: 499, maxCents: 5_900 },
  { name: "Toys", items: ["Puzzle Set", "Building Blocks", "Plush Fox", "Card Game", "Kite", "Science Kit"], minCents: 799, maxCents: 7_900 },
];
const ADJECTIVES = ["Classic", "Pro", "Eco", "Compact", "Deluxe", "Everyday", "Ultra", "Urban"];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** `count` customers `c-0001`..., deterministic in `seed`; signup dates in 2022-2025. */
export function generateCustomers(count: number, seed: number): Customer[] {
  assertCount("customers", count);
  const rng = mulberry32(hashSeed("customers", seed));
  const firstDay = Date.UTC(2022, 0, 1);
  const days = 4 * 365;
  return Array.from({ length: count }, (_, i) => {
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const id = i + 1;
    return {
      customer_id: `c-${pad(id, 4)}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase(),
      region: weighted(rng, REGION_WEIGHTS),
      signup_date: isoDate(new Date(firstDay + Math.floor(rng() * days) * 86_400_000)),
    };
  });
}

/** `count` products `p-001`..., deterministic in `seed`; prices end in .99 or .49 or .00. */
export function generateProducts(count: number, seed: number): Product[] {
  assertCount("products", count);
  const rng = mulberry32(hashSeed("products", seed));
  return Array.from({ length: count }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length];
    const dollars = Math.floor((category.minCents + rng() * (category.maxCents - category.minCents)) / 100);
    const cents = dollars * 100 + pick(rng, [99, 49, 0]);
    return {
      product_id: `p-${pad(i + 1, 3)}`,
      name: `${pick(rng, ADJECTIVES)} ${pick(rng, category.items)}`,
      category: category.name,
      unit_price: fromCents(Math.max(cents, 99)),
    };
  });
}

export interface Catalog {
  readonly customers: Customer[];
  readonly products: Product[];
}

/** Customers and products together. @default - {@link SAMPLE_CATALOG} */
export function generateCatalog(options: { seed?: number; customers?: number; products?: number } = {}): Catalog {
  const seed = options.seed ?? SAMPLE_CATALOG.seed;
  return {
    customers: generateCustomers(options.customers ?? SAMPLE_CATALOG.customers, seed),
    products: generateProducts(options.products ?? SAMPLE_CATALOG.products, seed),
  };
}

// ---------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------

export interface OrderBatchOptions {
  readonly customers: readonly Pick<Customer, "customer_id">[];
  readonly products: readonly Pick<Product, "product_id" | "unit_price">[];
  /** The batch's clock: `ingested_at`, and `order_ts` falls in the window before it. */
  readonly now: Date;
  /** Rows to produce (dirty rows included). */
  readonly count: number;
  readonly seed: number;
  /**
   * Makes order ids unique across batches created in the same millisecond
   * (the Lambda passes one derived from its request id). Lower-case letters and digits.
   * @default - 8 hex digits of the seed
   */
  readonly batchId?: string;
  /** Share of rows made dirty, 0..1; exactly `round(count * dirtyRate)` rows. @default 0 */
  readonly dirtyRate?: number;
  /** Dirt kinds to use, in rotation. @default - all of {@link DIRT_KINDS} */
  readonly dirtKinds?: readonly DirtKind[];
  /** How far before `now` a clean `order_ts` may be. @default 60 */
  readonly maxAgeMinutes?: number;
}

/** One batch of incremental orders, as the Lambda writes them. */
export function generateOrders(options: OrderBatchOptions): OrderRow[] {
  const { now, count, seed } = options;
  assertCount("orders", count, 0);
  assertCatalog(options);
  const rng = mulberry32(hashSeed("orders", seed));
  const batchId = checkBatchId(options.batchId ?? hex(seed));
  const windowMs = (options.maxAgeMinutes ?? 60) * 60_000;
  const ingestedAt = now.toISOString();
  const popular = popularity(options.products.length);
  const base = Array.from({ length: count }, (_, i) =>
    baseOrder(rng, options, popular, {
      orderId: orderId(now, batchId, i + 1),
      orderTime: new Date(now.getTime() - Math.floor(rng() * windowMs)),
      ingestedAt,
    }),
  );
  return applyDirt(rng, base, options, now);
}

export interface HistoryOptions {
  readonly customers: readonly Pick<Customer, "customer_id">[];
  readonly products: readonly Pick<Product, "product_id" | "unit_price">[];
  /** The history ends just before this instant; also every row's `ingested_at`. */
  readonly end: Date;
  /** Days of history before `end`. */
  readonly days: number;
  /** Average orders per day; each day varies by up to +-30% (weekends busier). */
  readonly ordersPerDay: number;
  readonly seed: number;
  /** @default "h" + 7 hex digits of the seed */
  readonly batchId?: string;
  /** @default 0 */
  readonly dirtyRate?: number;
  /** @default - all of {@link DIRT_KINDS} */
  readonly dirtKinds?: readonly DirtKind[];
}

/** Orders over the `days` before `end`, sorted by `order_ts`, for the batch CSV `raw/orders/`. */
export function generateHistoricalOrders(options: HistoryOptions): OrderRow[] {
  const { end, days, ordersPerDay, seed } = options;
  assertCount("days", days);
  assertCount("ordersPerDay", ordersPerDay, 0);
  assertCatalog(options);
  const rng = mulberry32(hashSeed("history", seed));
  const batchId = checkBatchId(options.batchId ?? `h${hex(seed).slice(1)}`);
  const popular = popularity(options.products.length);
  const endMs = Math.floor(end.getTime() / 1000) * 1000;
  const times: number[] = [];
  for (let day = days; day >= 1; day--) {
    const dayStart = endMs - day * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 1.2 : 1;
    const n = Math.max(0, Math.round(ordersPerDay * weekend * (0.7 + rng() * 0.6)));
    for (let k = 0; k < n; k++) times.push(dayStart + Math.floor(rng() * 86_400) * 1000);
  }
  times.sort((a, b) => a - b);
  const ingestedAt = end.toISOString();
  const base = times.map((t, i) =>
    baseOrder(rng, options, popular, { orderId: orderId(new Date(t), batchId, i + 1), orderTime: new Date(t), ingestedAt }),
  );
  return applyDirt(rng, base, options, end);
}

/** `o-20261125T173012345Z-<batch>-0001`: fixed width up to 9999 rows per batch, so ids sort by time. */
export function orderId(time: Date, batchId: string, sequence: number): string {
  return `o-${time.toISOString().replace(/[-:.]/g, "")}-${batchId}-${pad(sequence, 4)}`;
}

/** Counts rows by dirt kind (`clean` for untouched rows). */
export function summarizeDirt(rows: readonly OrderRow[]): Record<DirtKind | "clean", number> {
  const counts = Object.fromEntries([["clean", 0], ...DIRT_KINDS.map((k) => [k, 0])]) as Record<DirtKind | "clean", number>;
  for (const row of rows) counts[row.dirt ?? "clean"]++;
  return counts;
}

// ---------------------------------------------------------------------------
// Serializers
// ---------------------------------------------------------------------------

/** JSON lines, one order per line, `\n`-terminated; `malformed` rows are cut off mid-object. */
export function ordersToJsonLines(rows: readonly OrderRow[]): string {
  return rows
    .map(({ order, dirt }) => {
      const json = JSON.stringify(pickFields(order, INCREMENTAL_ORDER_FIELDS));
      return dirt === "malformed" ? json.slice(0, Math.floor(json.length * 0.6)) : json;
    })
    .map((line) => `${line}\n`)
    .join("");
}

/** CSV of orders with a header; `malformed` rows lose their last field. @default columns - {@link ORDER_COLUMNS} */
export function ordersToCsv(rows: readonly OrderRow[], columns: readonly string[] = ORDER_COLUMNS): string {
  const lines = [columns.join(",")];
  for (const { order, dirt } of rows) {
    const fields = csvFields(order as unknown as Record<string, unknown>, columns);
    lines.push((dirt === "malformed" ? fields.slice(0, -1) : fields).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** CSV with a header for any records (customers, products), money columns with two decimals. */
export function toCsv(records: readonly object[], columns: readonly string[]): string {
  const lines = [columns.join(","), ...records.map((r) => csvFields(r as Record<string, unknown>, columns).join(","))];
  return `${lines.join("\n")}\n`;
}

/** Plain records as JSON lines (`\n`-terminated). */
export function toJsonLines(records: readonly object[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

function baseOrder(
  rng: Rng,
  catalog: Pick<OrderBatchOptions, "customers" | "products">,
  popular: (rng: Rng) => number,
  at: { orderId: string; orderTime: Date; ingestedAt: string },
): Order {
  const customer = pick(rng, catalog.customers);
  const product = catalog.products[popular(rng)];
  const quantity = weighted(rng, QUANTITY_WEIGHTS);
  const priceCents = toCents(product.unit_price);
  return {
    order_id: at.orderId,
    customer_id: customer.customer_id,
    product_id: product.product_id,
    order_ts: isoSeconds(at.orderTime),
    quantity,
    unit_price: fromCents(priceCents),
    revenue: fromCents(quantity * priceCents),
    ingested_at: at.ingestedAt,
  };
}

/** Quantity 1..5, most orders are for one or two items. */
const QUANTITY_WEIGHTS: ReadonlyArray<readonly [number, number]> = [[1, 0.5], [2, 0.25], [3, 0.13], [4, 0.08], [5, 0.04]];

function applyDirt(
  rng: Rng,
  base: Order[],
  options: { dirtyRate?: number; dirtKinds?: readonly DirtKind[]; customers: readonly Pick<Customer, "customer_id">[] },
  now: Date,
): OrderRow[] {
  const rate = options.dirtyRate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`dirtyRate must be between 0 and 1, got ${rate}`);
  const kinds = [...(options.dirtKinds ?? DIRT_KINDS)];
  if (kinds.length === 0 && rate > 0) throw new RangeError("dirtKinds must name at least one kind when dirtyRate > 0");
  const dirtyCount = Math.round(base.length * rate);
  // Which rows: the first `dirtyCount` of a seeded shuffle; which kind: a seeded rotation, so every kind gets its share.
  const positions = shuffle(rng, base.map((_, i) => i)).slice(0, dirtyCount);
  const rotation = shuffle(rng, kinds);
  const dirtAt = new Map(positions.map((position, k) => [position, rotation[k % rotation.length]]));
  const clean = base.filter((_, i) => !dirtAt.has(i));
  const known = new Set(options.customers.map((c) => c.customer_id));

  return base.map((order, i): OrderRow => {
    const dirt = dirtAt.get(i) ?? null;
    switch (dirt) {
      case null:
      case "malformed":
        return { order, dirt };
      case "duplicate": {
        const source = clean.length > 0 ? pick(rng, clean) : base[(i + base.length - 1) % base.length];
        const later = new Date(Date.parse(source.ingested_at) + 1_000 + Math.floor(rng() * 59_000));
        return { order: { ...source, ingested_at: later.toISOString() }, dirt };
      }
      case "late": {
        const back = (1 + Math.floor(rng() * 7)) * 86_400_000 + Math.floor(rng() * 86_400) * 1000;
        return { order: { ...order, order_ts: isoSeconds(new Date(Date.parse(order.order_ts) - back)) }, dirt };
      }
      case "negative_amount": {
        const cents = toCents(order.unit_price);
        const quantity = -order.quantity;
        return { order: { ...order, quantity, revenue: fromCents(quantity * cents) }, dirt };
      }
      case "unknown_customer":
        return { order: { ...order, customer_id: unknownCustomerId(rng, known) }, dirt };
      case "future_timestamp": {
        const ahead = (2 + Math.floor(rng() * 70)) * 3_600_000 + Math.floor(rng() * 3_600) * 1000;
        return { order: { ...order, order_ts: isoSeconds(new Date(now.getTime() + ahead)) }, dirt };
      }
    }
  });
}

function unknownCustomerId(rng: Rng, known: ReadonlySet<string>): string {
  for (;;) {
    const id = `c-${9000 + Math.floor(rng() * 1000)}`;
    if (!known.has(id)) return id;
  }
}

/** Product index sampler: a few products sell much more than the rest (Zipf-like, s = 0.8). */
function popularity(n: number): (rng: Rng) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) cumulative.push((total += 1 / Math.pow(i + 1, 0.8)));
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function csvFields(record: Record<string, unknown>, columns: readonly string[]): string[] {
  return columns.map((column) => {
    const value = record[column];
    if (value === undefined || value === null) return "";
    if (typeof value === "number" && MONEY_COLUMNS.includes(column)) return value.toFixed(2);
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  });
}

function pickFields(record: Order, fields: readonly string[]): Record<string, unknown> {
  const source = record as unknown as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, source[f]]));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function weighted<T>(rng: Rng, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let x = rng() * total;
  for (const [value, weight] of options) {
    if ((x -= weight) < 0) return value;
  }
  return options[options.length - 1][0];
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const toCents = (amount: number) => Math.round(amount * 100);
const fromCents = (cents: number) => cents / 100;
const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const isoSeconds = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

function checkBatchId(batchId: string): string {
  if (!/^[a-z0-9]{1,16}$/.test(batchId)) throw new RangeError(`batchId must be 1-16 lower-case letters or digits, got "${batchId}"`);
  return batchId;
}

function assertCount(what: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be an integer >= ${min}, got ${n}`);
}

function assertCatalog(options: { customers: readonly unknown[]; products: readonly unknown[] }): void {
  if (options.customers.length === 0) throw new RangeError("customers must not be empty: orders reference them");
  if (options.products.length === 0) throw new RangeError("products must not be empty: orders reference them");
}
