import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { SAMPLE_CATALOG } from "../../lambda/generator";
import { settingsFromEnv, writeOrderBatch, type GeneratorSettings } from "../../lambda/handler";
import { ZONES } from "../../modules/config/naming";
import type { LakehouseConfig } from "../../modules/config/schema";
import type { SqlQuery } from "../../modules/analytics/sql-queries";
import { feedSpecFor, type FeedSpec } from "../build/feed-spec";
import { sqlQueriesFor } from "../build/sql-queries";
import { mergeReasons } from "../ops/quality-report";
import type { QualityReport } from "./glue-runner";
import { batchInputsUnchanged, readQualityReports, rememberBatchInputs, runLocalJobsOfKind } from "./jobs";
import { LakeQuery, type QueryResult } from "./lake-query";
import { LocalObjectWriter } from "./lake-writer";
import type { Progress } from "./progress";
import { S3Lake } from "./aws/s3-lake";
import { startLocalGlueSession } from "./glue-runner";
import type { LocalGlueSession } from "./glue-session";
import { LOCAL_ICEBERG_CATALOG, usesIceberg } from "./iceberg-catalog";
import { seedRawData } from "./seed-raw";

export interface LocalRunOptions {
  readonly config: LakehouseConfig;
  /** The local lake folder. @default ".lake" */
  readonly lakeDir?: string;
  /** Seed of the sample history. @default 7 */
  readonly seed?: number;
  /** Historical orders in the seeded batch CSV. @default 5000 */
  readonly orders?: number;
  /** Generator invocations, each followed by an incremental job run. @default 3 */
  readonly ticks?: number;
  /** Share of generated rows made dirty on purpose. @default 0.05 */
  readonly dirtyRate?: number;
  /**
   * Run on S3 as on AWS: a moto server started for this run, with the synthesized
   * roles and IAM enforced (see `aws/s3-lake.ts`). The lake folder then holds the
   * seeded raw files and, afterwards, a copy of curated and the reports.
   * @default false - the folder is the lake
   */
  readonly s3?: boolean;
  /**
   * Run every job in one Python process and SparkSession (`glue_local/job_server.py`).
   * `false` starts a process per job, as Glue does; slower, for comparison.
   * @default true
   */
  readonly sharedSession?: boolean;
  readonly progress: Progress;
}

export interface LocalRunResult {
  readonly lakeDir: string;
  /** Where the jobs ran: the folder, or a bucket on a local S3 endpoint with IAM enforced. */
  readonly mode: "folder" | "s3";
  /** With `s3`: IAM calls the server refused during the run (S3A tolerates a few probes of zone roots). */
  readonly denials: readonly { action: string; resource: string; prefix: string | null }[];
  /** With `s3`: the alarms on the jobs' metrics, and those watching a metric no run published (none, or one is broken). */
  readonly alarms?: { readonly count: number; readonly watchingNothing: readonly string[] };
  readonly reports: QualityReport[];
  readonly batchSkipped: boolean;
  /** Every `sql/` query, rendered for the config (table names in place of dataset references), with its result. */
  readonly queries: { query: SqlQuery; result: QueryResult }[];
}

/**
 * The whole lakehouse on a laptop: seed raw CSVs, batch job, N generator ticks
 * each followed by the incremental job, then every `sql/` query, rendered for
 * the config, on DuckDB. A second run only does what is new: seeds stay, the
 * batch job is skipped when its inputs did not change, and the incremental job
 * picks up only new files.
 */
export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { config, progress } = options;
  const lakeDir = resolve(options.lakeDir ?? ".lake");
  mkdirSync(lakeDir, { recursive: true });
  const dirtyRate = options.dirtyRate ?? 0.05;
  const reports: QualityReport[] = [];

  let done = progress.step("seed sample raw data");
  // The batch CSVs hold the columns the config declares, as the generator's feed does.
  const feed = config.datasets.find((d) => d.incremental);
  const feedSpec = feed ? feedSpecFor(config) : undefined;
  const seeded = seedRawData({ lakeDir, seed: options.seed, orders: options.orders, dirtyRate, feed: feedSpec });
  done(seeded.written.length ? `wrote ${seeded.written.join(", ")}` : "raw data already present, kept as is");

  let s3: S3Lake | undefined;
  let session: LocalGlueSession | undefined;
  try {
    if (options.s3) {
      done = progress.step("S3 with IAM enforced: a local moto server holding the synthesized bucket and roles");
      s3 = await S3Lake.start(config);
      // Each S3 run starts a fresh bucket: a local Iceberg catalog left by an earlier run would point at objects it no longer has.
      rmSync(join(lakeDir, LOCAL_ICEBERG_CATALOG), { force: true });
      await s3.uploadScripts(config);
      const uploaded = await s3.uploadRaw(lakeDir);
      done(`s3://${s3.bucket} on ${s3.endpoint}; ${Object.keys(s3.account.roles).length} roles assumed; ${uploaded} raw files and the scripts uploaded`);
    }
    // One Python process and one SparkSession for every job of the run: the JVM starts once.
    if (options.sharedSession ?? true) {
      session = startLocalGlueSession({ s3: s3 ? { endpoint: s3.endpoint, region: config.region } : undefined, iceberg: usesIceberg(config) });
    }
    const batchSkipped = !s3 && batchInputsUnchanged(config, lakeDir);
    if (batchSkipped) {
      progress.step("batch job")("raw batch files unchanged since the last batch run, skipped");
    } else {
      const batch = await runLocalJobsOfKind({ config, lakeDir, job: "batch", progress, target: (id) => s3?.jobTarget(id), session });
      if (!s3) rememberBatchInputs(config, lakeDir, batch[0].run_id);
      reports.push(...batch);
    }

    const ticks = options.ticks ?? 3;
    if (feed && feedSpec && ticks > 0) {
      const generator = s3?.generator();
      const writer = generator?.writer ?? new LocalObjectWriter(lakeDir);
      const settings = {
        ...(generator ? settingsFromEnv(generator.environment) : localGeneratorSettings(config, feed.incremental!.rawFolder, feedSpec)),
        dirtyRate,
      };
      for (let tick = 1; tick <= ticks; tick++) {
        done = progress.step(`tick ${tick}/${ticks}: generator${s3 ? " (the Lambda's code, under its role)" : ""}`);
        // The Lambda's own code path: against S3 under its role, or with the lake folder standing in for S3.
        const written = await writeOrderBatch({ s3: writer, settings, log: () => undefined }, `local-${randomUUID()}`);
        const dirty = Object.entries(written.dirt).filter(([kind, n]) => kind !== "clean" && n > 0);
        done(`${written.rows} orders -> ${written.key}${dirty.length ? ` (dirty on purpose: ${dirty.map(([k, n]) => `${n} ${k}`).join(", ")})` : ""}`);
        reports.push(...(await runLocalJobsOfKind({ config, lakeDir, job: "incremental", progress, target: (id) => s3?.jobTarget(id), session })));
      }
    }

    if (s3) {
      done = progress.step("copy curated tables and reports from S3 into the lake folder, for DuckDB");
      done(`${await s3.download(lakeDir, config.storage.systemPrefix)} objects`);
    }
    done = progress.step("analytics from sql/ on DuckDB");
    const lake = await LakeQuery.open(config, lakeDir);
    try {
      const queries = [];
      for (const query of sqlQueriesFor(config)) queries.push({ query, result: await lake.query(query.sql) });
      done(`${queries.length} queries`);
      const denials = (s3?.denials() ?? []).map(({ action, resource, prefix }) => ({ action, resource, prefix }));
      const watched = s3 ? await s3.alarmsWatchingNothing() : undefined;
      const alarms = watched ? { count: watched.alarms, watchingNothing: watched.watchingNothing } : undefined;
      return { lakeDir, mode: s3 ? "s3" : "folder", denials, alarms, reports, batchSkipped, queries };
    } finally {
      lake.close();
    }
  } finally {
    await session?.close();
    await s3?.stop();
  }
}

/** The generator's settings for the folder run: the config's feed, the sample catalogue. */
function localGeneratorSettings(config: LakehouseConfig, rawFolder: string, feed: FeedSpec): GeneratorSettings {
  return {
    bucket: "local",
    rawPrefix: `${ZONES.raw}${rawFolder}/`,
    ordersPerInvocation: config.ingestion.ordersPerInvocation,
    dirtyRate: 0,
    catalogSeed: SAMPLE_CATALOG.seed,
    customerCount: SAMPLE_CATALOG.customers,
    productCount: SAMPLE_CATALOG.products,
    feed,
  };
}

/** Rows per zone and quarantine reasons over every run so far, for the closing summary. */
export async function summarizeLake(config: LakehouseConfig, lakeDir: string) {
  const lake = await LakeQuery.open(config, lakeDir);
  try {
    const curated: Record<string, number> = {};
    for (const dataset of config.datasets) {
      const { rows } = await lake.query(`SELECT count(*) AS n FROM ${dataset.table}`);
      curated[dataset.table] = Number(rows[0].n);
    }
    const totals = readQualityReports(lakeDir, config.storage.systemPrefix).map((report) => report.totals);
    const sum = (pick: (t: (typeof totals)[number]) => number) => totals.reduce((acc, t) => acc + pick(t), 0);
    return {
      runs: totals.length,
      rowsRead: sum((t) => t.rows_read),
      curated,
      quarantined: sum((t) => t.rows_quarantined),
      duplicates: sum((t) => t.duplicates_dropped),
      quarantinedByReason: mergeReasons(totals),
    };
  } finally {
    lake.close();
  }
}
