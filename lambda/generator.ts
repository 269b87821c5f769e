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
 * What is written follows a feed spec (`./feed-spec.ts`, derived from the
 * dataset config): exactly the declared columns, in declared order. The sample
 * columns (ids, names, e-mails, money, ...) keep their own generators; any
 * other column gets a value of its declared type, or one of its allowed values,
 * seeded by the dataset, the column and the row's key, so adding a column
 * changes no other value.
 *
 * This module is bundled into the Lambda: it imports nothing but `./feed-spec`.
 */
import { KNOWN_COLUMNS, SAMPLE_FEED, type FeedColumn, type FeedDataset, type FeedSpec } from "./feed-spec";

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

/** The sample regions; a config's `allowed_values` for the customers' region replaces them. */
export const REGIONS = ["NA", "EU", "APAC", "LATAM"] as const;

export interface Customer {
  /** `c-0001`, `c-0002`, ... */
  readonly customer_id: string;
  readonly name: string;
  readonly email: string;
  /** One of the region column's allowed values. @default - {@link REGIONS} */
  readonly region: string;
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
/** The sample regions with their share of customers. */
const REGION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [["NA", 0.35], ["EU", 0.3], ["APAC", 0.25], ["LATAM", 0.1]];

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

/**
 * `count` customers `c-0001`..., deterministic in `seed`; signup dates in 2022-2025.
 * Regions: the allowed values of the feed's region column, weighted as {@link REGION_WEIGHTS}
 * when they are the sample ones, otherwise uniform.
 */
export function generateCustomers(count: number, seed: number, feed: FeedSpec = SAMPLE_FEED): Customer[] {
  assertCount("customers", count);
  const rng = mulberry32(hashSeed("customers", seed));
  const regions = valueWeights(valuesOf(feed.customers, "region"), REGION_WEIGHTS);
  return Array.from({ length: count }, (_, i) => {
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const id = i + 1;
    return {
      customer_id: `c-${pad(id, 4)}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase(),
      region: weighted(rng, regions),
      signup_date: isoDate(new Date(PAST_START + Math.floor(rng() * PAST_DAYS) * 86_400_000)),
    };
  });
}

/**
 * `count` products `p-001`..., deterministic in `seed`; prices end in .99 or .49 or .00.
 * Categories in rotation: the allowed values of the feed's category column, else the
 * sample's; a name the sample knows keeps its items and prices, another one borrows
 * those of the sample category in its place.
 */
export function generateProducts(count: number, seed: number, feed: FeedSpec = SAMPLE_FEED): Product[] {
  assertCount("products", count);
  const rng = mulberry32(hashSeed("products", seed));
  const categories = categoriesOf(valuesOf(feed.products, "category"));
  return Array.from({ length: count }, (_, i) => {
    const category = categories[i % categories.length];
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

/** Customers and products together. @default - {@link SAMPLE_CATALOG}, {@link SAMPLE_FEED} */
export function generateCatalog(options: { seed?: number; customers?: number; products?: number; feed?: FeedSpec } = {}): Catalog {
  const seed = options.seed ?? SAMPLE_CATALOG.seed;
  return {
    customers: generateCustomers(options.customers ?? SAMPLE_CATALOG.customers, seed, options.feed),
    products: generateProducts(options.products ?? SAMPLE_CATALOG.products, seed, options.feed),
  };
}

/** The sample regions' weights when `values` are the sample regions (in any order), otherwise the values, uniformly. */
function valueWeights(values: readonly string[] | undefined, sample: ReadonlyArray<readonly [string, number]>) {
  if (!values || (values.length === sample.length && sample.every(([value]) => values.includes(value)))) return sample;
  return values.map((value) => [value, 1] as const);
}

function categoriesOf(names: readonly string[] | undefined): readonly CategorySpec[] {
  if (!names) return CATEGORIES;
  return names.map((name, i) => ({ ...(CATEGORIES.find((c) => c.name === name) ?? CATEGORIES[i % CATEGORIES.length]), name }));
}

function valuesOf(dataset: FeedDataset, column: string): readonly string[] | undefined {
  return dataset.columns.find((c) => c.name === column)?.values;
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

/** A row as written: the dataset's declared columns, in declared order, with their values. */
export type Row = Record<string, unknown>;

/** The customers as rows of the feed's customers dataset. */
export function customerRows(customers: readonly Customer[], feed: FeedSpec = SAMPLE_FEED): Row[] {
  const dataset = feed.customers;
  return customers.map((c) => rowOf(dataset, KNOWN_COLUMNS.customers, c, new Map([[dataset.key, c.customer_id]])));
}

/** The products as rows of the feed's products dataset. */
export function productRows(products: readonly Product[], feed: FeedSpec = SAMPLE_FEED): Row[] {
  const dataset = feed.products;
  return products.map((p) => rowOf(dataset, KNOWN_COLUMNS.products, p, new Map([[dataset.key, p.product_id]])));
}

/** The orders as rows of the feed's orders dataset (without the ingestion metadata). */
export function orderRows(rows: readonly OrderRow[], feed: FeedSpec = SAMPLE_FEED): Row[] {
  const dataset = feed.orders;
  return rows.map(({ order }) =>
    rowOf(
      dataset,
      KNOWN_COLUMNS.orders,
      order,
      new Map([
        [dataset.key, order.order_id],
        ...dataset.customerKeys.map((column) => [column, order.customer_id] as const),
        ...dataset.productKeys.map((column) => [column, order.product_id] as const),
      ]),
    ),
  );
}

/** JSON lines, one order per line, `\n`-terminated, ending with the ingestion metadata; `malformed` rows are cut off mid-object. */
export function ordersToJsonLines(rows: readonly OrderRow[], feed: FeedSpec = SAMPLE_FEED): string {
  const records = orderRows(rows, feed);
  return rows
    .map(({ order, dirt }, i) => {
      const json = JSON.stringify({ ...records[i], [feed.orders.ingestedAt]: order.ingested_at });
      return dirt === "malformed" ? json.slice(0, Math.floor(json.length * 0.6)) : json;
    })
    .map((line) => `${line}\n`)
    .join("");
}

/** CSV of orders with a header, for `raw/<orders>/`; `malformed` rows lose their last field. */
export function ordersToCsv(rows: readonly OrderRow[], feed: FeedSpec = SAMPLE_FEED): string {
  const columns = feed.orders.columns;
  const lines = [columns.map((c) => c.name).join(",")];
  orderRows(rows, feed).forEach((record, i) => {
    const fields = csvFields(record, columns);
    lines.push((rows[i].dirt === "malformed" ? fields.slice(0, -1) : fields).join(","));
  });
  return `${lines.join("\n")}\n`;
}

/** CSV of customers with a header, for `raw/<customers>/`. */
export function customersToCsv(customers: readonly Customer[], feed: FeedSpec = SAMPLE_FEED): string {
  return toCsv(customerRows(customers, feed), feed.customers.columns);
}

/** CSV of products with a header, for `raw/<products>/`. */
export function productsToCsv(products: readonly Product[], feed: FeedSpec = SAMPLE_FEED): string {
  return toCsv(productRows(products, feed), feed.products.columns);
}

/** CSV with a header for rows of the given columns; decimals with their scale (at most two places). */
export function toCsv(rows: readonly Row[], columns: readonly FeedColumn[]): string {
  const lines = [columns.map((c) => c.name).join(","), ...rows.map((r) => csvFields(r, columns).join(","))];
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

/**
 * A record's row: key columns from `keys` (found by role), the generator's own
 * columns (`known`) from the record, any other column from {@link columnValue}.
 */
function rowOf(dataset: FeedDataset, known: readonly string[], record: object, keys: ReadonlyMap<string, string>): Row {
  const source = record as Record<string, unknown>;
  const key = keys.get(dataset.key)!;
  return Object.fromEntries(
    dataset.columns.map((column) => {
      if (keys.has(column.name)) return [column.name, keys.get(column.name)];
      if (known.includes(column.name)) return [column.name, source[column.name]];
      return [column.name, columnValue(dataset.name, column, key)];
    }),
  );
}

/**
 * A value for a column the generator does not know, seeded by dataset, column and
 * row key: one of its allowed values (as written in the config), else a value of
 * its type that passes `not_null`, `positive` and `not_in_future`.
 */
export function columnValue(dataset: string, column: FeedColumn, key: string): string | number | boolean {
  const rng = mulberry32(hashSeed("column", dataset, column.name, key));
  if (column.values) return pick(rng, column.values);
  const decimal = DECIMAL.exec(column.type);
  if (decimal) {
    const [precision, scale] = [Number(decimal[1]), Number(decimal[2])];
    const places = Math.min(scale, 2);
    const units = 1 + Math.floor(rng() * (10 ** (Math.min(precision - scale, 3) + places) - 1));
    return units / 10 ** places;
  }
  switch (column.type) {
    case "int":
      return 1 + Math.floor(rng() * 100);
    case "bigint":
      return 1 + Math.floor(rng() * 1_000_000);
    case "double":
      return (1 + Math.floor(rng() * 99_999)) / 100;
    case "boolean":
      return rng() < 0.5;
    case "date":
      return isoDate(new Date(PAST_START + Math.floor(rng() * PAST_DAYS) * 86_400_000));
    case "timestamp":
      return isoSeconds(new Date(PAST_START + Math.floor(rng() * PAST_DAYS * 86_400) * 1000));
    default:
      return `${column.name}-${pad(1 + Math.floor(rng() * 9999), 4)}`;
  }
}

const DECIMAL = /^decimal\((\d+),(\d+)\)$/;
/** Generated dates (signup dates, unknown date and timestamp columns) fall in 2022-2025. */
const PAST_START = Date.UTC(2022, 0, 1);
const PAST_DAYS = 4 * 365;

function csvFields(record: Row, columns: readonly FeedColumn[]): string[] {
  return columns.map(({ name, type }) => {
    const value = record[name];
    if (value === undefined || value === null) return "";
    const decimal = DECIMAL.exec(type);
    if (typeof value === "number" && decimal) return value.toFixed(Math.min(Number(decimal[2]), 2));
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  });
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
