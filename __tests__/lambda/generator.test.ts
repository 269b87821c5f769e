import defaultConfig from "../../lakehouse.config";
import { resolveConfig } from "../../modules/config";
import { feedSpecFor } from "../../scripts/build/feed-spec";
import { SAMPLE_FEED } from "../../lambda/feed-spec";
import {
  DIRT_KINDS,
  REGIONS,
  generateCatalog,
  generateHistoricalOrders,
  generateOrders,
  ordersToCsv,
  ordersToJsonLines,
  productsToCsv,
  summarizeDirt,
} from "../../lambda/generator";

const ORDER_COLUMNS = SAMPLE_FEED.orders.columns.map((c) => c.name);

const NOW = new Date("2026-11-25T17:30:12.345Z");
const catalog = generateCatalog();
const batch = (overrides: Partial<Parameters<typeof generateOrders>[0]> = {}) =>
  generateOrders({ ...catalog, now: NOW, count: 500, seed: 7, ...overrides });
const cents = (amount: number) => Math.round(amount * 100);
const twoDecimals = (amount: number) => Math.abs(amount * 100 - cents(amount)) < 1e-6;

describe("determinism", () => {
  test("the same seed gives the same catalogue and orders", () => {
    expect(generateCatalog({ seed: 3 })).toEqual(generateCatalog({ seed: 3 }));
    expect(batch({ dirtyRate: 0.3 })).toEqual(batch({ dirtyRate: 0.3 }));
  });

  test("another seed gives other orders", () => {
    expect(batch({ seed: 8 }).map((r) => r.order.customer_id)).not.toEqual(batch().map((r) => r.order.customer_id));
  });

  test("generation never calls Math.random", () => {
    const random = jest.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random used");
    });
    try {
      generateHistoricalOrders({ ...generateCatalog(), end: NOW, days: 3, ordersPerDay: 20, seed: 1, dirtyRate: 0.5 });
      batch({ dirtyRate: 0.5 });
    } finally {
      random.mockRestore();
    }
  });
});

describe("sample catalogue", () => {
  test("customers have sequential ids, unique e-mails, known regions and ISO signup dates", () => {
    const { customers } = generateCatalog({ customers: 300 });
    expect(customers[0].customer_id).toBe("c-0001");
    expect(customers[299].customer_id).toBe("c-0300");
    expect(new Set(customers.map((c) => c.email)).size).toBe(300);
    for (const c of customers) {
      expect(REGIONS).toContain(c.region);
      expect(c.email).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
      expect(c.signup_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(new Set(customers.map((c) => c.region))).toEqual(new Set(REGIONS));
  });

  test("products have sequential ids, a category and a positive two-decimal price", () => {
    const { products } = generateCatalog({ products: 40 });
    expect(products.map((p) => p.product_id).slice(0, 2)).toEqual(["p-001", "p-002"]);
    for (const p of products) {
      expect(p.unit_price).toBeGreaterThan(0);
      expect(twoDecimals(p.unit_price)).toBe(true);
      expect(p.category).not.toBe("");
    }
  });

  test("the sample feed is the default config's feed spec", () => {
    expect(feedSpecFor(resolveConfig(defaultConfig))).toEqual(SAMPLE_FEED);
  });
});

describe("clean orders", () => {
  const rows = batch();
  const orders = rows.map((r) => r.order);

  test("revenue is quantity times unit price to the cent", () => {
    for (const o of orders) {
      expect(cents(o.revenue)).toBe(o.quantity * cents(o.unit_price));
      expect(twoDecimals(o.revenue)).toBe(true);
    }
  });

  test("order_ts falls in the hour before now and ingested_at is now", () => {
    for (const o of orders) {
      const ts = Date.parse(o.order_ts);
      expect(o.order_ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(ts).toBeLessThanOrEqual(NOW.getTime());
      expect(ts).toBeGreaterThan(NOW.getTime() - 3_600_000);
      expect(o.ingested_at).toBe(NOW.toISOString());
    }
  });

  test("customers and products come from the given lists, at the product's price", () => {
    const customerIds = new Set(catalog.customers.map((c) => c.customer_id));
    const prices = new Map(catalog.products.map((p) => [p.product_id, p.unit_price]));
    for (const o of orders) {
      expect(customerIds.has(o.customer_id)).toBe(true);
      expect(o.unit_price).toBe(prices.get(o.product_id));
    }
  });

  test("order ids are unique and sort in creation order", () => {
    const ids = orders.map((o) => o.order_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const later = generateOrders({ ...catalog, now: new Date(NOW.getTime() + 1), count: 1, seed: 1 });
    expect(later[0].order.order_id > ids[ids.length - 1]).toBe(true);
  });

  test("quantities are 1 to 5, mostly small", () => {
    const counts = [1, 2, 3, 4, 5].map((q) => batch({ count: 5000 }).filter((r) => r.order.quantity === q).length);
    expect(counts.reduce((a, b) => a + b)).toBe(5000);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThan(counts[i - 1]);
  });

  test("with no dirty rate every JSON line parses back to the order", () => {
    const lines = ordersToJsonLines(rows).trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l))).toEqual(orders);
    expect(summarizeDirt(rows).clean).toBe(rows.length);
  });
});

describe("dirt injection", () => {
  const rows = batch({ count: 600, dirtyRate: 0.3 });
  const byKind = (kind: string) => rows.filter((r) => r.dirt === kind);
  const knownCustomers = new Set(catalog.customers.map((c) => c.customer_id));

  test("exactly the configured share of rows is dirty, split evenly over the kinds", () => {
    const summary = summarizeDirt(rows);
    expect(rows.length).toBe(600);
    expect(600 - summary.clean).toBe(180);
    for (const kind of DIRT_KINDS) expect(summary[kind]).toBe(30);
  });

  test("a duplicate repeats another row's order id with a later ingested_at", () => {
    for (const { order } of byKind("duplicate")) {
      const original = rows.find((r) => r.dirt === null && r.order.order_id === order.order_id)!;
      expect(original).toBeDefined();
      expect({ ...order, ingested_at: original.order.ingested_at }).toEqual(original.order);
      expect(Date.parse(order.ingested_at)).toBeGreaterThan(Date.parse(original.order.ingested_at));
    }
  });

  test("a late order happened one to eight days before the batch", () => {
    for (const { order } of byKind("late")) {
      const age = NOW.getTime() - Date.parse(order.order_ts);
      expect(age).toBeGreaterThanOrEqual(86_400_000);
      expect(age).toBeLessThan(9 * 86_400_000);
    }
  });

  test("a malformed row is broken JSON in JSON lines and a short line in CSV", () => {
    const malformed = byKind("malformed");
    const json = ordersToJsonLines(malformed).trimEnd().split("\n");
    for (const line of json) expect(() => JSON.parse(line)).toThrow();
    const csv = ordersToCsv(malformed).trimEnd().split("\n").slice(1);
    for (const line of csv) expect(line.split(",")).toHaveLength(ORDER_COLUMNS.length - 1);
  });

  test("a negative amount keeps revenue = quantity * unit_price but below zero", () => {
    for (const { order } of byKind("negative_amount")) {
      expect(order.quantity).toBeLessThan(0);
      expect(cents(order.revenue)).toBe(order.quantity * cents(order.unit_price));
    }
  });

  test("an unknown customer is not in the customer list", () => {
    for (const { order } of byKind("unknown_customer")) expect(knownCustomers.has(order.customer_id)).toBe(false);
  });

  test("a future timestamp is beyond the one-hour tolerance", () => {
    for (const { order } of byKind("future_timestamp")) expect(Date.parse(order.order_ts)).toBeGreaterThan(NOW.getTime() + 3_600_000);
  });

  test("every other line of a dirty batch is still valid JSON", () => {
    const lines = ordersToJsonLines(rows).trimEnd().split("\n");
    const parsed = lines.filter((_, i) => rows[i].dirt !== "malformed").map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(600 - 30);
  });

  test("dirtKinds limits which kinds are injected", () => {
    const only = batch({ count: 100, dirtyRate: 0.5, dirtKinds: ["late"] });
    expect(summarizeDirt(only)).toMatchObject({ clean: 50, late: 50, duplicate: 0, malformed: 0 });
  });

  test("a dirty rate outside 0..1 is refused", () => {
    expect(() => batch({ dirtyRate: 1.5 })).toThrow(/dirtyRate must be between 0 and 1/);
  });
});

describe("history for the batch CSVs", () => {
  const end = new Date("2026-11-01T00:00:00Z");
  const rows = generateHistoricalOrders({ ...catalog, end, days: 30, ordersPerDay: 40, seed: 11 });

  test("orders span the days before the end, sorted by order_ts, with unique ids", () => {
    const times = rows.map((r) => Date.parse(r.order.order_ts));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(end.getTime() - 30 * 86_400_000);
    expect(Math.max(...times)).toBeLessThan(end.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(rows.map((r) => r.order.order_id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(30 * 40 * 0.7);
  });

  test("the orders CSV has the header and two-decimal money", () => {
    const [header, first] = ordersToCsv(rows).split("\n");
    expect(header).toBe(ORDER_COLUMNS.join(","));
    const fields = first.split(",");
    expect(fields[5]).toMatch(/^\d+\.\d{2}$/);
    expect(fields[6]).toMatch(/^\d+\.\d{2}$/);
  });
});

describe("CSV", () => {
  test("fields with commas or quotes are quoted", () => {
    const csv = productsToCsv([{ product_id: "p-1", name: 'Mug, "big"', category: "Home", unit_price: 5 }]);
    expect(csv).toBe('product_id,name,category,unit_price\np-1,"Mug, ""big""",Home,5.00\n');
  });
});
