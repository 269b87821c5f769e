/**
 * The generator's feed spec derived from the dataset config: which datasets it
 * feeds, their declared columns in order, their keys and the value sets their
 * rules declare. Part of the generator's build: `lakehouseArtifacts` puts it in
 * the function code's environment as `FEED_SPEC` (the construct passes that
 * environment on), and the local seed and ticks use it directly.
 *
 * The roles are found through the config:
 * - orders: the first dataset with an incremental feed (the one the Lambda feeds);
 * - products: of the two datasets the orders' foreign keys reference, the one
 *   declaring `unit_price` (orders copy their price from it);
 * - customers: the other one.
 * The first foreign key to each holds the order's customer / product; a further
 * one (a gift's `recipient_id`) repeats it, so it always passes its check.
 *
 * A config the generator could not feed with valid rows is refused here, naming
 * the dataset and the column, rather than producing rows that land in quarantine.
 */
import { KNOWN_COLUMNS, VALUE_SET_COLUMNS, parseFeedSpec, type FeedColumn, type FeedDataset, type FeedSpec } from "../../lambda/feed-spec";
import { customerRows, generateCatalog, generateOrders, orderRows, productRows } from "../../lambda/generator";
import type { DatasetConfig, LakehouseConfig } from "../../modules/config/schema";

export type { FeedColumn, FeedDataset, FeedSpec, OrderFeed } from "../../lambda/feed-spec";
export { SAMPLE_FEED } from "../../lambda/feed-spec";

type Role = keyof FeedSpec;

/** The feed spec of a config; throws naming the dataset and column when the generator cannot feed it. */
export function feedSpecFor(config: LakehouseConfig): FeedSpec {
  const orders = config.datasets.find((d) => d.incremental);
  if (!orders?.incremental) throw new Error("no dataset declares an incremental feed, so there is nothing for the generator to feed");
  const references = orders.quality.flatMap((rule) => (rule.rule === "foreign_key" ? [{ column: rule.column, dataset: rule.references }] : []));
  const targets = [...new Set(references.map((r) => r.dataset))].map((name) => config.datasets.find((d) => d.name === name)!);
  const priced = targets.filter((d) => d.columns.some((c) => c.name === "unit_price"));
  if (targets.length !== 2 || priced.length !== 1) {
    throw new Error(
      `the generator feeds ${orders.name} rows that reference exactly two datasets, customers and products (the one with a unit_price column); ` +
        `${orders.name} has foreign keys to: ${references.map((r) => `${r.column} -> ${r.dataset}`).join(", ") || "none"}`,
    );
  }
  const [products] = priced;
  const customers = targets.find((d) => d !== products)!;
  const keysTo = (dataset: DatasetConfig) => references.filter((r) => r.dataset === dataset.name).map((r) => r.column);
  const spec: FeedSpec = {
    customers: datasetFeed("customers", customers),
    products: datasetFeed("products", products),
    orders: {
      ...datasetFeed("orders", orders, [...keysTo(customers), ...keysTo(products)]),
      customerKeys: keysTo(customers),
      productKeys: keysTo(products),
      ingestedAt: orders.incremental.orderByColumn,
    },
  };
  checkPatterns(spec, { customers, products, orders });
  return spec;
}

/** A dataset's declared columns with the values its `allowed_values` rules give, after the checks of its other rules. */
function datasetFeed(role: Role, dataset: DatasetConfig, foreignKeys: readonly string[] = []): FeedDataset {
  const refuse = (column: string, problem: string): never => {
    throw new Error(`the generator cannot feed ${dataset.name}.${column}: ${problem}`);
  };
  if (dataset.primaryKey.length !== 1) refuse(dataset.primaryKey.join(", "), "it writes one-column keys, the primary key is composite");
  const key = dataset.primaryKey[0];
  const keyType = dataset.columns.find((c) => c.name === key)!.type;
  if (keyType !== "string") refuse(key, `it writes string keys such as "c-0001", the primary key is ${keyType}`);
  const own = ownColumns(role, [key, ...foreignKeys]);

  const values = new Map<string, string[]>();
  for (const rule of dataset.quality) {
    if (rule.rule === "allowed_values") {
      if (own.includes(rule.column) && !(VALUE_SET_COLUMNS[role] as readonly string[]).includes(rule.column)) {
        refuse(rule.column, "it makes this column's values itself, so it cannot restrict them to allowed_values");
      }
      values.set(rule.column, rule.values);
    } else if (rule.rule === "foreign_key" && !foreignKeys.includes(rule.column)) {
      refuse(rule.column, `it only writes the orders' references to customers and products, not a foreign key to ${rule.references}`);
    } else if (rule.rule === "product" && !isRevenueRule(role, rule.column, rule.factors)) {
      refuse(rule.column, `it only computes revenue = quantity * unit_price of orders, not ${rule.column} = ${rule.factors.join(" * ")}`);
    } else if (rule.rule === "positive") {
      rule.columns.filter((c) => !own.includes(c) && !numeric(typeOf(dataset, c))).forEach((c) => refuse(c, "positive needs a numeric column"));
    }
  }
  const columns = dataset.columns.map((c): FeedColumn => {
    const allowed = values.get(c.name);
    return allowed ? { name: c.name, type: c.type, values: allowed } : { name: c.name, type: c.type };
  });
  return { name: dataset.name, key, columns };
}

/**
 * `pattern` rules: a column with allowed values needs every value to match; a column
 * the generator makes itself is checked on a sample of what it makes; any other column
 * is refused (a value of its type cannot be made to match a pattern in general).
 */
function checkPatterns(spec: FeedSpec, datasets: Record<Role, DatasetConfig>): void {
  // Made only for a role that has such a rule (generating a sample is most of this function's time).
  const samples: Partial<Record<Role, Record<string, unknown>[]>> = {};
  const sample = (role: Role) => (samples[role] ??= sampleRows(spec, role));
  for (const role of ["customers", "products", "orders"] as const) {
    const dataset = spec[role];
    const own = ownColumns(role, role === "orders" ? [spec.orders.key, ...spec.orders.customerKeys, ...spec.orders.productKeys] : [dataset.key]);
    for (const rule of datasets[role].quality) {
      if (rule.rule !== "pattern") continue;
      const regex = new RegExp(`^(?:${rule.regex})$`);
      const column = dataset.columns.find((c) => c.name === rule.column)!;
      const refuse = (problem: string): never => {
        throw new Error(`the generator cannot feed ${dataset.name}.${column.name}: ${problem} (pattern ${rule.regex})`);
      };
      if (column.values) {
        const bad = column.values.find((v) => !regex.test(v));
        if (bad !== undefined) refuse(`its allowed value "${bad}" does not match the pattern`);
      } else if (own.includes(column.name)) {
        const bad = sample(role).map((row) => String(row[column.name])).find((v) => !regex.test(v));
        if (bad !== undefined) refuse(`it makes values such as "${bad}", which do not match the pattern`);
      } else {
        refuse("it cannot make values that match a pattern; declare allowed_values that match it, or drop the pattern");
      }
    }
  }
}

/** What the generator writes for one role: the sample catalogue's customers or products, or a batch of orders. */
function sampleRows(spec: FeedSpec, role: Role): Record<string, unknown>[] {
  const catalog = generateCatalog({ feed: spec });
  if (role === "customers") return customerRows(catalog.customers, spec);
  if (role === "products") return productRows(catalog.products, spec);
  return orderRows(generateOrders({ ...catalog, now: new Date(Date.UTC(2026, 0, 1)), count: 200, seed: 1 }), spec);
}

/** Columns whose values the generator makes itself: the keys (found by role) and the role's known columns. */
function ownColumns(role: Role, keys: readonly string[]): readonly string[] {
  return [...keys, ...KNOWN_COLUMNS[role]];
}

function isRevenueRule(role: Role, column: string, factors: readonly string[]): boolean {
  return role === "orders" && column === "revenue" && factors.length === 2 && factors.includes("quantity") && factors.includes("unit_price");
}

function typeOf(dataset: DatasetConfig, column: string): string {
  return dataset.columns.find((c) => c.name === column)?.type ?? "";
}

function numeric(type: string): boolean {
  return ["int", "bigint", "double"].includes(type) || type.startsWith("decimal(");
}

/** Lambda allows 4 KB for all environment variables together; the feed spec gets most of it. */
const MAX_FEED_SPEC_BYTES = 3_500;

/** The spec as the Lambda reads it (`FEED_SPEC`), checked the way the handler checks it. */
export function feedSpecJson(feed: FeedSpec): string {
  const json = JSON.stringify(feed);
  parseFeedSpec(json, "feed");
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_FEED_SPEC_BYTES) {
    throw new Error(`the generator's feed spec is ${bytes} bytes as JSON, more than the ${MAX_FEED_SPEC_BYTES} its environment has room for (Lambda allows 4 KB in all): declare fewer or shorter columns on the fed datasets`);
  }
  return json;
}
