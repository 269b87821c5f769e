/**
 * The feed spec: what the generator writes, derived from the dataset config
 * (`feedSpecFor` in `modules/ingestion/feed-spec.ts`) and handed to the Lambda
 * as the `FEED_SPEC` environment variable. Three roles, found through the
 * config: the orders (the dataset with the incremental feed) and the
 * customers and products its foreign keys reference.
 *
 * This module is bundled into the Lambda: it must import nothing.
 */

/** One declared column, as the generator writes it. */
export interface FeedColumn {
  readonly name: string;
  /** The config's column type: string, int, bigint, double, boolean, date, timestamp or decimal(p,s). */
  readonly type: string;
  /** The values an `allowed_values` rule accepts: generated values are picked from them. @default - any */
  readonly values?: readonly string[];
}

export interface FeedDataset {
  /** The dataset's name: its folder under `raw/`. */
  readonly name: string;
  /** The one-column primary key (a string column): `c-0001`, `p-001`, `o-<time>-<batch>-0001`. */
  readonly key: string;
  /** The declared columns, in file order. */
  readonly columns: readonly FeedColumn[];
}

export interface OrderFeed extends FeedDataset {
  /** The foreign keys to the customers: the first holds the order's customer, any other (e.g. a gift's recipient) repeats it. */
  readonly customerKeys: readonly string[];
  /** The foreign keys to the products: the first holds the order's product, any other repeats it. */
  readonly productKeys: readonly string[];
  /** The ingestion metadata each JSON line ends with (`incremental.orderByColumn`). */
  readonly ingestedAt: string;
}

export interface FeedSpec {
  readonly customers: FeedDataset;
  readonly products: FeedDataset;
  readonly orders: OrderFeed;
}

/** Columns whose values the generator makes itself, by name (keys are found by role: `key`, `customerKeys`, `productKeys`). */
export const KNOWN_COLUMNS = {
  customers: ["name", "email", "region", "signup_date"],
  products: ["name", "category", "unit_price"],
  orders: ["order_ts", "quantity", "unit_price", "revenue"],
} as const satisfies Record<keyof FeedSpec, readonly string[]>;

/** Known columns whose values come from the column's `allowed_values` when it declares them. */
export const VALUE_SET_COLUMNS = { customers: ["region"], products: ["category"], orders: [] } as const satisfies Record<
  keyof FeedSpec,
  readonly string[]
>;

/** The feed of the default config (`lakehouse.config.ts`); a test checks that `feedSpecFor` derives exactly this. */
export const SAMPLE_FEED: FeedSpec = {
  customers: {
    name: "customers",
    key: "customer_id",
    columns: [
      { name: "customer_id", type: "string" },
      { name: "name", type: "string" },
      { name: "email", type: "string" },
      { name: "region", type: "string", values: ["NA", "EU", "APAC", "LATAM"] },
      { name: "signup_date", type: "date" },
    ],
  },
  products: {
    name: "products",
    key: "product_id",
    columns: [
      { name: "product_id", type: "string" },
      { name: "name", type: "string" },
      { name: "category", type: "string" },
      { name: "unit_price", type: "decimal(10,2)" },
    ],
  },
  orders: {
    name: "orders",
    key: "order_id",
    customerKeys: ["customer_id"],
    productKeys: ["product_id"],
    ingestedAt: "ingested_at",
    columns: [
      { name: "order_id", type: "string" },
      { name: "customer_id", type: "string" },
      { name: "product_id", type: "string" },
      { name: "order_ts", type: "timestamp" },
      { name: "quantity", type: "int" },
      { name: "unit_price", type: "decimal(10,2)" },
      { name: "revenue", type: "decimal(12,2)" },
    ],
  },
};

const COLUMN_TYPE = /^(string|int|bigint|double|boolean|date|timestamp|decimal\(\d{1,2},\d{1,2}\))$/;
const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Reads a feed spec from JSON (the `FEED_SPEC` environment variable) and checks
 * its shape; anything off is an error naming `source` and the field.
 */
export function parseFeedSpec(json: string, source = "FEED_SPEC"): FeedSpec {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source} is not valid JSON (${(error as Error).message}); it must be a feed spec as feedSpecFor(config) makes it`);
  }
  const fail = (path: string, problem: string): never => {
    throw new Error(`${source} is not a valid feed spec: ${path} ${problem}`);
  };
  if (!isObject(value)) return fail("the value", "must be an object with customers, products and orders");
  const spec = value as Record<string, unknown>;
  for (const role of ["customers", "products", "orders"] as const) checkDataset(spec[role], role, fail);
  const orders = spec.orders as Record<string, unknown>;
  const names = (orders.columns as FeedColumn[]).map((c) => c.name);
  for (const field of ["customerKeys", "productKeys"]) {
    const keys = orders[field];
    if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => names.includes(k))) {
      fail(`orders.${field}`, `must be a non-empty array of columns of orders (${names.join(", ")})`);
    }
  }
  if (typeof orders.ingestedAt !== "string" || !IDENTIFIER.test(orders.ingestedAt) || names.includes(orders.ingestedAt)) {
    fail("orders.ingestedAt", "must be a lower snake case name that is not a column of orders");
  }
  return spec as unknown as FeedSpec;
}

function checkDataset(value: unknown, path: string, fail: (path: string, problem: string) => never): void {
  if (!isObject(value)) fail(path, "must be an object with name, key and columns");
  const dataset = value as Record<string, unknown>;
  if (typeof dataset.name !== "string" || !IDENTIFIER.test(dataset.name)) fail(`${path}.name`, "must be a lower snake case dataset name");
  if (!Array.isArray(dataset.columns) || dataset.columns.length === 0) fail(`${path}.columns`, "must be a non-empty array");
  (dataset.columns as unknown[]).forEach((column, i) => {
    const at = `${path}.columns[${i}]`;
    if (!isObject(column)) fail(at, "must be an object with name and type");
    const { name, type, values } = column as Record<string, unknown>;
    if (typeof name !== "string" || !IDENTIFIER.test(name)) fail(`${at}.name`, "must be a lower snake case column name");
    if (typeof type !== "string" || !COLUMN_TYPE.test(type)) fail(`${at}.type`, `must be a column type, got ${JSON.stringify(type)}`);
    if (values !== undefined && (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string"))) {
      fail(`${at}.values`, "must be a non-empty array of strings when given");
    }
  });
  const names = (dataset.columns as FeedColumn[]).map((c) => c.name);
  if (!names.includes(dataset.key as string)) fail(`${path}.key`, `must name a column of ${path} (${names.join(", ")})`);
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
