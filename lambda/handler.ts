/**
 * The generator Lambda: one invocation writes ONE JSON-lines object of new
 * orders to `s3://$LAKE_BUCKET/$RAW_PREFIX dt=YYYY-MM-DD/<time>-<request id>.json`.
 *
 * Environment:
 * - `LAKE_BUCKET` (required) the lake bucket.
 * - `RAW_PREFIX` where incremental files go. Default `raw/orders_incremental/`.
 * - `ORDERS_PER_INVOCATION` rows per file, 1..10000. Default 50.
 * - `DIRTY_RATE` share of rows made dirty on purpose, 0..1. Default 0.
 * - `CATALOG_SEED`, `CUSTOMER_COUNT`, `PRODUCT_COUNT` which customers and
 *   products orders reference. The Lambda does not read them from the lake (its
 *   role may only write new files): it regenerates the seeded sample catalogue,
 *   the same one the batch CSVs were made from. Defaults: `SAMPLE_CATALOG`.
 * - `FEED_SPEC` the columns to write, as JSON (`feedSpecFor(config)` in
 *   `scripts/build/feed-spec.ts`); a malformed value fails the invocation naming what is
 *   wrong. Default: `SAMPLE_FEED`, the default config's.
 *
 * Keys never collide: the Lambda request id is unique per invocation, the time
 * prefix makes keys sort by arrival, and the put is conditional
 * (`If-None-Match: *`), so even a clash would fail instead of overwriting.
 */
import { randomUUID } from "node:crypto";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SAMPLE_FEED, parseFeedSpec, type FeedSpec } from "./feed-spec";
import { SAMPLE_CATALOG, generateCatalog, generateOrders, hashSeed, ordersToJsonLines, summarizeDirt, type Catalog, type DirtKind } from "./generator";

export const DEFAULT_RAW_PREFIX = "raw/orders_incremental/";

export interface GeneratorSettings {
  readonly bucket: string;
  readonly rawPrefix: string;
  readonly ordersPerInvocation: number;
  readonly dirtyRate: number;
  readonly catalogSeed: number;
  readonly customerCount: number;
  readonly productCount: number;
  /** The columns to write. @default - {@link SAMPLE_FEED} */
  readonly feed?: FeedSpec;
}

/** Reads and checks the function's environment; a bad value names the variable and what is allowed. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): GeneratorSettings {
  const bucket = env.LAKE_BUCKET;
  if (!bucket) throw new Error("LAKE_BUCKET is not set: the generator needs the lake bucket name");
  const rawPrefix = env.RAW_PREFIX || DEFAULT_RAW_PREFIX;
  if (!rawPrefix.endsWith("/") || rawPrefix.startsWith("/")) {
    throw new Error(`RAW_PREFIX must be a folder like "${DEFAULT_RAW_PREFIX}" (no leading /, trailing /), got "${rawPrefix}"`);
  }
  return {
    bucket,
    rawPrefix,
    ordersPerInvocation: intFromEnv(env, "ORDERS_PER_INVOCATION", 50, 1, 10_000),
    dirtyRate: numberFromEnv(env, "DIRTY_RATE", 0, 0, 1),
    catalogSeed: intFromEnv(env, "CATALOG_SEED", SAMPLE_CATALOG.seed, 0, 2 ** 32 - 1),
    customerCount: intFromEnv(env, "CUSTOMER_COUNT", SAMPLE_CATALOG.customers, 1, 9_999),
    productCount: intFromEnv(env, "PRODUCT_COUNT", SAMPLE_CATALOG.products, 1, 999),
    feed: env.FEED_SPEC ? parseFeedSpec(env.FEED_SPEC) : SAMPLE_FEED,
  };
}

/**
 * `raw/orders_incremental/dt=2026-11-25/20261125T173012345Z-<invocation id>.json`:
 * partitioned by UTC day, sortable by time, unique by invocation id.
 */
export function objectKey(rawPrefix: string, now: Date, invocationId: string): string {
  const safeId = invocationId.toLowerCase().replace(/[^a-z0-9-]/g, "");
  if (!safeId) throw new Error(`invocation id "${invocationId}" has no usable characters for an object key`);
  const iso = now.toISOString();
  return `${rawPrefix}dt=${iso.slice(0, 10)}/${iso.replace(/[-:.]/g, "")}-${safeId}.json`;
}

/** What one invocation wrote. */
export interface GeneratorResult {
  readonly bucket: string;
  readonly key: string;
  readonly rows: number;
  readonly bytes: number;
  readonly dirt: Record<DirtKind | "clean", number>;
}

/** The part of an S3 client the generator uses; tests pass a real client pointed at moto. */
export interface ObjectWriter {
  send(command: PutObjectCommand): Promise<unknown>;
}

export interface GeneratorDeps {
  readonly s3: ObjectWriter;
  readonly settings: GeneratorSettings;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** @default console.log of one JSON line */
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** Generates one batch and writes it as one new object. */
export async function writeOrderBatch(deps: GeneratorDeps, invocationId: string, catalog?: Catalog): Promise<GeneratorResult> {
  const { settings } = deps;
  const now = (deps.clock ?? (() => new Date()))();
  const key = objectKey(settings.rawPrefix, now, invocationId);
  const { customers, products } = catalog ?? catalogOf(settings);
  const seed = hashSeed(invocationId, now.getTime());
  const rows = generateOrders({
    customers,
    products,
    now,
    count: settings.ordersPerInvocation,
    seed,
    batchId: batchIdOf(invocationId),
    dirtyRate: settings.dirtyRate,
  });
  const body = ordersToJsonLines(rows, settings.feed);
  try {
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: settings.bucket,
        Key: key,
        Body: body,
        ContentType: "application/x-ndjson",
        IfNoneMatch: "*",
      }),
    );
  } catch (error) {
    throw new Error(`writing s3://${settings.bucket}/${key} failed: ${describe(error)}`, { cause: error });
  }
  const result = { bucket: settings.bucket, key, rows: rows.length, bytes: Buffer.byteLength(body), dirt: summarizeDirt(rows) };
  (deps.log ?? ((entry) => console.log(JSON.stringify(entry))))({ message: "wrote incremental orders", ...result });
  return result;
}

/** 12 lower-case hex digits from the invocation id, so order ids differ between invocations in the same millisecond. */
export function batchIdOf(invocationId: string): string {
  const a = hashSeed("batch-a", invocationId).toString(16).padStart(8, "0");
  const b = hashSeed("batch-b", invocationId).toString(16).padStart(8, "0");
  return `${a}${b.slice(0, 4)}`;
}

/** The minimal Lambda context this handler reads. */
export interface InvocationContext {
  readonly awsRequestId?: string;
}

/** Builds a handler around given dependencies (tests) or the defaults (Lambda). */
export function createHandler(deps: Partial<GeneratorDeps> = {}) {
  let settings = deps.settings;
  let s3 = deps.s3;
  let catalog: Catalog | undefined;
  return async (_event: unknown, context: InvocationContext = {}): Promise<GeneratorResult> => {
    settings ??= settingsFromEnv();
    // One client and one catalogue per container, reused across warm invocations.
    // A custom endpoint (AWS_ENDPOINT_URL_S3, e.g. moto) needs path-style addressing.
    s3 ??= new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL) });
    catalog ??= catalogOf(settings);
    return writeOrderBatch({ ...deps, s3, settings }, context.awsRequestId || randomUUID(), catalog);
  };
}

/** The sample catalogue the settings name (the batch CSVs' customers and products). */
function catalogOf(settings: GeneratorSettings): Catalog {
  return generateCatalog({ seed: settings.catalogSeed, customers: settings.customerCount, products: settings.productCount, feed: settings.feed });
}

/** The Lambda entry point (`index.handler` in the bundle). */
export const handler = createHandler();

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = numberFromEnv(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number between ${min} and ${max}, got "${env[name]}"`);
  return value;
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "name" in error) {
    const { name, message } = error as { name: string; message?: string };
    if (name === "PreconditionFailed") return "an object with this key already exists; refusing to overwrite it";
    return `${name}: ${message ?? ""}`.trim();
  }
  return String(error);
}
