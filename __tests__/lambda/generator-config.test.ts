import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PutObjectCommand } from "@aws-sdk/client-s3";
import { SAMPLE_FEED, type FeedSpec } from "../../lambda/feed-spec";
import { customersToCsv, generateCatalog, productsToCsv } from "../../lambda/generator";
import { createHandler, settingsFromEnv, writeOrderBatch } from "../../lambda/handler";
import type { LakehouseConfigInput } from "../../modules/config";
import { feedSpecFor } from "../../scripts/build/feed-spec";
import { parseCsv } from "../e2e/independent-analytics";
import { seedRawData, seedFiles } from "../../scripts/local/seed-raw";
import { resourcesOfType, synthStack, testConfig } from "../support/synth";

const NOW = new Date("2026-11-25T17:30:12.345Z");
const END = new Date("2026-11-01T00:00:00Z");
const REQUEST_ID = "6f1c2a9e-0b7d-4e8a-9d3c-5a2b1c0d9e8f";

type DatasetInput = LakehouseConfigInput["datasets"][number];
type RuleInput = NonNullable<DatasetInput["quality"]>[number];

/** The feed spec of the default config with changes applied to one dataset. */
function feedWith(dataset: string, change: (d: DatasetInput) => void): FeedSpec {
  return feedSpecFor(
    testConfig((config) => {
      change(config.datasets.find((d) => d.name === dataset)!);
    }),
  );
}
/** The feed spec of the default config with a column (and rules) added to one dataset. */
const withColumn = (dataset: string, column: { name: string; type: string }, ...rules: RuleInput[]) =>
  feedWith(dataset, (d) => {
    d.columns.push(column as DatasetInput["columns"][number]);
    d.quality = [...(d.quality ?? []), ...rules];
  });
const channelFeed = () =>
  withColumn("orders", { name: "channel", type: "string" }, { rule: "allowed_values", column: "channel", values: ["web", "app"] });

const scratch = mkdtempSync(join(tmpdir(), "generator-config-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let lakes = 0;
/** The seeded CSV of one dataset as records (header -> value). */
function seeded(feed: FeedSpec | undefined, role: keyof FeedSpec, options: { dirtyRate?: number; seed?: number } = {}) {
  const lakeDir = join(scratch, `lake-${++lakes}`);
  seedRawData({ lakeDir, end: END, orders: 600, days: 10, feed, ...options });
  return readFileSync(join(lakeDir, seedFiles(feed)[role]), "utf8");
}
const records = (csv: string) => {
  const [header, ...rows] = parseCsv(csv);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
};

/** What one invocation writes, with the environment `env`. */
async function lambdaBody(env: Record<string, string>): Promise<string> {
  let body = "";
  const s3 = { send: async (command: PutObjectCommand) => void (body = String(command.input.Body)) };
  await writeOrderBatch({ s3, settings: settingsFromEnv({ LAKE_BUCKET: "lake", ...env }), clock: () => NOW, log: () => undefined }, REQUEST_ID);
  return body;
}

/** The JSON lines of one invocation, parsed; `malformed` rows (cut-off JSON, on purpose) are left out. */
async function lambdaLines(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  return (await lambdaBody(env)).trimEnd().split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe("a column added to the config", () => {
  test("an orders column with allowed values is in the seeded CSV header and rows, with allowed values", () => {
    const { header, rows } = records(seeded(channelFeed(), "orders"));
    expect(header).toEqual([...SAMPLE_FEED.orders.columns.map((c) => c.name), "channel"]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(["web", "app"]).toContain(row.channel);
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(["web", "app"]));
  });

  test("an orders column with allowed values is in the Lambda's JSON lines, before ingested_at, with allowed values", async () => {
    const lines = await lambdaLines({ FEED_SPEC: JSON.stringify(channelFeed()) });
    for (const line of lines) {
      expect(Object.keys(line)).toEqual([...SAMPLE_FEED.orders.columns.map((c) => c.name), "channel", "ingested_at"]);
      expect(["web", "app"]).toContain(line.channel);
    }
  });

  test.each([
    ["int", /^[1-9]\d*$/],
    ["bigint", /^[1-9]\d*$/],
    ["double", /^\d+(\.\d+)?$/],
    ["decimal(5,2)", /^\d{1,3}\.\d{2}$/],
    ["decimal(4,0)", /^[1-9]\d{0,3}$/],
    ["boolean", /^(true|false)$/],
    ["date", /^202[2-5]-\d{2}-\d{2}$/],
    ["timestamp", /^202[2-5]-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/],
    ["string", /^extra-\d{4}$/],
  ])("a %s column gets values of that type in the seeded CSV", (type, shape) => {
    const { rows } = records(seeded(withColumn("orders", { name: "extra", type }), "orders"));
    for (const row of rows) expect(row.extra).toMatch(shape);
  });

  test("numeric columns get positive values, so a positive rule passes", async () => {
    const feed = withColumn("orders", { name: "discount", type: "decimal(6,2)" }, { rule: "positive", columns: ["discount"] });
    const lines = await lambdaLines({ FEED_SPEC: JSON.stringify(feed), ORDERS_PER_INVOCATION: "500" });
    for (const line of lines) expect(line.discount).toBeGreaterThan(0);
  });

  test("the JSON lines carry numbers for numeric columns and booleans for boolean ones", async () => {
    const feed = feedWith("orders", (d) => d.columns.push({ name: "points", type: "int" }, { name: "gift", type: "boolean" }));
    for (const line of await lambdaLines({ FEED_SPEC: JSON.stringify(feed) })) {
      expect(Number.isInteger(line.points)).toBe(true);
      expect(typeof line.gift).toBe("boolean");
    }
  });

  test("customers and products columns are seeded too", () => {
    const customers = records(seeded(withColumn("customers", { name: "loyalty_tier", type: "int" }), "customers"));
    const products = records(seeded(withColumn("products", { name: "weight_kg", type: "decimal(6,3)" }), "products"));
    expect(customers.header.at(-1)).toBe("loyalty_tier");
    expect(products.header.at(-1)).toBe("weight_kg");
    for (const row of customers.rows) expect(row.loyalty_tier).toMatch(/^\d+$/);
    for (const row of products.rows) expect(row.weight_kg).toMatch(/^\d+\.\d{2}$/);
  });

  test("a second foreign key to customers (a gift's recipient) holds the order's customer, a known one", async () => {
    const feed = withColumn("orders", { name: "recipient_id", type: "string" }, { rule: "foreign_key", column: "recipient_id", references: "customers" });
    expect(feed.orders.customerKeys).toEqual(["customer_id", "recipient_id"]);
    for (const line of await lambdaLines({ FEED_SPEC: JSON.stringify(feed) })) expect(line.recipient_id).toBe(line.customer_id);
  });

  test("adding a column changes no other column's values", () => {
    const plain = records(seeded(undefined, "orders")).rows;
    const added = records(seeded(channelFeed(), "orders")).rows;
    expect(added.map(({ channel: _channel, ...rest }) => rest)).toEqual(plain);
  });

  test("a duplicate order repeats the added column's value", async () => {
    const feed = withColumn("orders", { name: "coupon", type: "string" });
    const lines = await lambdaLines({ FEED_SPEC: JSON.stringify(feed), DIRTY_RATE: "0.5", ORDERS_PER_INVOCATION: "200" });
    const byId = new Map<unknown, Set<unknown>>();
    for (const line of lines.filter((l) => typeof l.order_id === "string")) byId.set(line.order_id, (byId.get(line.order_id) ?? new Set()).add(line.coupon));
    expect([...byId.values()].every((coupons) => coupons.size === 1)).toBe(true);
  });
});

describe("value sets from the config", () => {
  test("the customers' regions are the region column's allowed values", () => {
    const feed = feedWith("customers", (d) => {
      d.quality = d.quality!.map((r) => (r.rule === "allowed_values" ? { ...r, values: ["north", "south"] } : r));
    });
    const { customers } = generateCatalog({ feed });
    expect(new Set(customers.map((c) => c.region))).toEqual(new Set(["north", "south"]));
    expect(customersToCsv(customers, feed)).toContain(",north,");
  });

  test("the products' categories are the category column's allowed values, in rotation", () => {
    const feed = withColumn("products", { name: "unused", type: "string" }, { rule: "allowed_values", column: "category", values: ["Books", "Garden"] });
    const { products } = generateCatalog({ feed, products: 4 });
    expect(products.map((p) => p.category)).toEqual(["Books", "Garden", "Books", "Garden"]);
    expect(productsToCsv(products, feed).split("\n")[0]).toBe("product_id,name,category,unit_price,unused");
  });
});

describe("the default config", () => {
  // sha256 of what the generator wrote before the feed spec existed (same seeds, same clock).
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const spec = feedSpecFor(testConfig());

  test("its seeded CSVs are byte for byte what the sample generator wrote", () => {
    expect(sha256(seeded(spec, "customers"))).toBe("ce7664ec00c6e06006c342ab8cb68ab42bd7c3c7e3a3d63033c5031af8dfc2f8");
    expect(sha256(seeded(spec, "products"))).toBe("53a660ee05a3f949a6aab9011b62b6ae9911f580c9be6f9027c23c4855b2bde8");
    const lakeDir = join(scratch, "default-dirty");
    seedRawData({ lakeDir, end: END, seed: 11, orders: 2000, days: 30, dirtyRate: 0.3, feed: spec });
    expect(sha256(readFileSync(join(lakeDir, seedFiles(spec).orders), "utf8"))).toBe("d9a87884fb56783579b75401f8dd49ef89dcdc91c120f95b430b5417be6bc76b");
  });

  test("its Lambda JSON lines are byte for byte what the sample generator wrote", async () => {
    const body = await lambdaBody({ DIRTY_RATE: "0.3", ORDERS_PER_INVOCATION: "600", FEED_SPEC: JSON.stringify(spec) });
    expect(sha256(body)).toBe("edb20ccc48db239c31214f4c8c77a7d830341f7f82e66c44ba12acd78f27a960");
  });
});

describe("configs the generator cannot feed", () => {
  test("a pattern on a column the generator does not know is refused, naming the column", () => {
    expect(() => withColumn("orders", { name: "voucher", type: "string" }, { rule: "pattern", column: "voucher", regex: "V[0-9]{6}" })).toThrow(
      /cannot feed orders\.voucher: it cannot make values that match a pattern/,
    );
  });

  test("a pattern is accepted when the column's allowed values all match it", () => {
    const feed = withColumn(
      "orders",
      { name: "voucher", type: "string" },
      { rule: "allowed_values", column: "voucher", values: ["V000001", "V000002"] },
      { rule: "pattern", column: "voucher", regex: "V[0-9]{6}" },
    );
    expect(feed.orders.columns.at(-1)).toEqual({ name: "voucher", type: "string", values: ["V000001", "V000002"] });
  });

  test("a pattern the generator's own values do not match is refused, naming the column", () => {
    expect(() =>
      feedWith("customers", (d) => {
        d.quality = d.quality!.map((r) => (r.rule === "pattern" ? { ...r, regex: "[^@]+@shop\\.test" } : r));
      }),
    ).toThrow(/cannot feed customers\.email: it makes values such as ".+@example\.com"/);
  });

  test("allowed values on a column the generator makes itself (other than region and category) are refused", () => {
    expect(() => feedWith("orders", (d) => void d.quality!.push({ rule: "allowed_values", column: "quantity", values: ["1"] }))).toThrow(
      /cannot feed orders\.quantity: it makes this column's values itself/,
    );
  });

  test("orders that reference a third dataset are refused", () => {
    expect(() =>
      feedSpecFor(
        testConfig((config) => {
          config.datasets.push({ name: "stores", table: "dim_stores", columns: [{ name: "store_id", type: "string" }], primaryKey: ["store_id"] });
          const orders = config.datasets.find((d) => d.name === "orders")!;
          orders.columns.push({ name: "store_id", type: "string" });
          orders.quality!.push({ rule: "foreign_key", column: "store_id", references: "stores" });
        }),
      ),
    ).toThrow(/reference exactly two datasets, customers and products .*store_id -> stores/);
  });
});

describe("FEED_SPEC", () => {
  /** Invokes a handler that reads its settings from the process environment, as the Lambda does. */
  async function invoke(feedSpec: string) {
    const saved = { LAKE_BUCKET: process.env.LAKE_BUCKET, FEED_SPEC: process.env.FEED_SPEC };
    Object.assign(process.env, { LAKE_BUCKET: "lake", FEED_SPEC: feedSpec });
    try {
      return await createHandler({ s3: { send: async () => undefined }, clock: () => NOW, log: () => undefined })({}, { awsRequestId: REQUEST_ID });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  test("a FEED_SPEC that is not JSON fails the handler with a clear message", async () => {
    await expect(invoke("{columns: [")).rejects.toThrow(/^FEED_SPEC is not valid JSON/);
  });

  test("a FEED_SPEC of the wrong shape fails the handler naming the field", async () => {
    const spec = structuredClone(SAMPLE_FEED) as unknown as { orders: { columns: { type: string }[] } };
    spec.orders.columns[4].type = "integer";
    await expect(invoke(JSON.stringify(spec))).rejects.toThrow(
      'FEED_SPEC is not a valid feed spec: orders.columns[4].type must be a column type, got "integer"',
    );
  });

  test("without FEED_SPEC the handler writes the sample feed", async () => {
    expect(Object.keys((await lambdaLines({}))[0])).toEqual([...SAMPLE_FEED.orders.columns.map((c) => c.name), "ingested_at"]);
  });

  test("synth passes the config's feed spec to the function as FEED_SPEC", () => {
    const config = testConfig((c) => {
      const orders = c.datasets.find((d) => d.name === "orders")!;
      orders.columns.push({ name: "channel", type: "string" });
      orders.quality = [...(orders.quality ?? []), { rule: "allowed_values", column: "channel", values: ["web", "app"] }];
    });
    const [fn] = resourcesOfType(synthStack(config).parsed, "aws_lambda_function");
    expect(JSON.parse(fn.environment.variables.FEED_SPEC)).toEqual(channelFeed());
  });
});
