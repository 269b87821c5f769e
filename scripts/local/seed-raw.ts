import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLE_FEED, type FeedSpec } from "../../lambda/feed-spec";
import {
  SAMPLE_CATALOG,
  customersToCsv,
  generateCatalog,
  generateHistoricalOrders,
  ordersToCsv,
  productsToCsv,
} from "../../lambda/generator";
import { ZONES } from "../../modules/config/naming";

export interface SeedOptions {
  /** The local lake folder. */
  readonly lakeDir: string;
  /** Seed of the historical orders (the catalogue always uses the Lambda's SAMPLE_CATALOG seed). @default 7 */
  readonly seed?: number;
  /** Historical orders to generate, spread over `days`. @default 5000 */
  readonly orders?: number;
  /** Days of history. @default 90 */
  readonly days?: number;
  /** Share of rows made dirty on purpose. @default 0 */
  readonly dirtyRate?: number;
  /** End of the history. @default - the start of the current UTC hour */
  readonly end?: Date;
  /** The datasets and columns to write: `feedSpecFor(config)`. @default - the sample feed ({@link SAMPLE_FEED}) */
  readonly feed?: FeedSpec;
}

export interface SeedResult {
  /** Files written, relative to the lake; empty when the raw data was already there. */
  readonly written: string[];
  /** Files left as they were. */
  readonly kept: string[];
}

/** The three batch drops, one folder per dataset as a crawler expects: `raw/<dataset>/<dataset>.csv`. */
export function seedFiles(feed: FeedSpec = SAMPLE_FEED): Record<keyof FeedSpec, string> {
  const file = (dataset: string) => `${ZONES.raw}${dataset}/${dataset}.csv`;
  return { customers: file(feed.customers.name), products: file(feed.products.name), orders: file(feed.orders.name) };
}

/** The sample feed's batch drops. */
export const SEED_FILES = seedFiles();

/**
 * Writes sample customers, products and historical orders as CSV under
 * `raw/`, unless a file is already there: user files and earlier seeds are
 * never overwritten, so a second local run processes only what is new.
 * Customers and products come from the generator Lambda's sample catalogue, so
 * the orders it generates later reference known ids. Each file has exactly the
 * columns the feed declares: after changing them, start from a fresh lake folder.
 */
export function seedRawData(options: SeedOptions): SeedResult {
  const written: string[] = [];
  const kept: string[] = [];
  const put = (relative: string, body: () => string) => {
    const path = join(options.lakeDir, relative);
    if (existsSync(path)) {
      kept.push(relative);
      return;
    }
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, body());
    written.push(relative);
  };
  const feed = options.feed ?? SAMPLE_FEED;
  const files = seedFiles(feed);
  const catalog = generateCatalog({ seed: SAMPLE_CATALOG.seed, feed });
  const days = options.days ?? 90;
  const end = options.end ?? startOfHour(new Date());
  put(files.customers, () => customersToCsv(catalog.customers, feed));
  put(files.products, () => productsToCsv(catalog.products, feed));
  put(files.orders, () =>
    ordersToCsv(
      generateHistoricalOrders({
        ...catalog,
        end,
        days,
        ordersPerDay: Math.max(1, Math.round((options.orders ?? 5000) / days)),
        seed: options.seed ?? 7,
        dirtyRate: options.dirtyRate ?? 0,
      }),
      feed,
    ),
  );
  return { written, kept };
}

function startOfHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}
