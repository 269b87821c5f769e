import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { generateCatalog } from "../../lambda/generator";
import { createHandler, settingsFromEnv, writeOrderBatch, type GeneratorSettings } from "../../lambda/handler";
import { DUMMY_CREDENTIALS, TEST_REGION, useMotoServer } from "../support/moto-server";

const moto = useMotoServer();
const BUCKET = "shoplake-dev-lake-123456789012";
const NOW = new Date("2026-11-25T17:30:12.345Z");
const settings: GeneratorSettings = settingsFromEnv({ LAKE_BUCKET: BUCKET, ORDERS_PER_INVOCATION: "25" });
const silent = () => undefined;

let s3: S3Client;
beforeEach(async () => {
  s3 = new S3Client(moto.clientConfig({ forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
});

async function keys(): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function body(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return object.Body!.transformToString();
}

test("one invocation writes one JSON-lines object under raw/orders_incremental/dt=<day>/", async () => {
  const handler = createHandler({ s3, settings, clock: () => NOW, log: silent });
  const result = await handler({}, { awsRequestId: "6f1c2a9e-0b7d-4e8a-9d3c-5a2b1c0d9e8f" });

  expect(await keys()).toEqual([result.key]);
  expect(result.key).toBe("raw/orders_incremental/dt=2026-11-25/20261125T173012345Z-6f1c2a9e-0b7d-4e8a-9d3c-5a2b1c0d9e8f.json");
  const lines = (await body(result.key)).trimEnd().split("\n");
  expect(lines).toHaveLength(25);
  const { customers, products } = generateCatalog();
  for (const order of lines.map((l) => JSON.parse(l))) {
    expect(Object.keys(order)).toEqual(["order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue", "ingested_at"]);
    expect(customers.some((c) => c.customer_id === order.customer_id)).toBe(true);
    expect(products.some((p) => p.product_id === order.product_id)).toBe(true);
  }
});

test("50 concurrent invocations in the same millisecond write 50 distinct objects with distinct order ids", async () => {
  const handler = createHandler({ s3, settings, clock: () => NOW, log: silent });
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => handler({}, { awsRequestId: `req-${i}` })));

  expect(new Set(results.map((r) => r.key)).size).toBe(50);
  expect(await keys()).toHaveLength(50);
  const orderIds = (await Promise.all(results.map((r) => body(r.key)))).flatMap((text) =>
    text.trimEnd().split("\n").map((l) => JSON.parse(l).order_id),
  );
  expect(new Set(orderIds).size).toBe(50 * 25);
});

test("a write to an existing key is refused instead of overwriting it", async () => {
  const deps = { s3, settings, clock: () => NOW, log: silent };
  const first = await writeOrderBatch(deps, "same-id");
  const before = await body(first.key);

  await expect(writeOrderBatch(deps, "same-id")).rejects.toThrow(/already exists; refusing to overwrite/);
  expect(await body(first.key)).toBe(before);
});

test("the dirty rate from the environment puts that share of dirt in the file", async () => {
  const dirty = settingsFromEnv({ LAKE_BUCKET: BUCKET, ORDERS_PER_INVOCATION: "60", DIRTY_RATE: "0.5" });
  const result = await writeOrderBatch({ s3, settings: dirty, clock: () => NOW, log: silent }, "dirty-run");

  expect(result.dirt.clean).toBe(30);
  const lines = (await body(result.key)).trimEnd().split("\n");
  const unparseable = lines.filter((l) => {
    try {
      JSON.parse(l);
      return false;
    } catch {
      return true;
    }
  });
  expect(unparseable).toHaveLength(result.dirt.malformed);
});

describe("the exported Lambda handler", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("reads its bucket, settings and S3 endpoint from the environment", async () => {
    Object.assign(process.env, {
      LAKE_BUCKET: BUCKET,
      ORDERS_PER_INVOCATION: "3",
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    });
    const handler = createHandler({ log: silent });
    const result = await handler({}, { awsRequestId: "from-env" });

    expect(await keys()).toEqual([result.key]);
    expect((await body(result.key)).trimEnd().split("\n")).toHaveLength(3);
  });
});

describe("settings", () => {
  test("a missing bucket is named", () => {
    expect(() => settingsFromEnv({})).toThrow(/LAKE_BUCKET is not set/);
  });

  test("a dirty rate out of range names the variable and the allowed range", () => {
    expect(() => settingsFromEnv({ LAKE_BUCKET: "b", DIRTY_RATE: "2" })).toThrow(/DIRTY_RATE must be a number between 0 and 1, got "2"/);
  });

  test("defaults: 50 orders, clean, raw/orders_incremental/", () => {
    expect(settingsFromEnv({ LAKE_BUCKET: "b" })).toMatchObject({ ordersPerInvocation: 50, dirtyRate: 0, rawPrefix: "raw/orders_incremental/" });
  });
});
