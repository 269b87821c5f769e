import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { SAMPLE_CATALOG } from "../../lambda/generator";
import { writeOrderBatch } from "../../lambda/handler";
import { ZONES } from "../../modules/config/naming";
import type { LakehouseConfig } from "../../modules/config/schema";
import { loadSqlQueries, type SqlQuery } from "../../modules/analytics/sql-queries";
import { mergeReasons } from "../ops/quality-report";
import type { QualityReport } from "./glue-runner";
import { batchInputsUnchanged, readQualityReports, rememberBatchInputs, runLocalJob } from "./jobs";
import { LakeQuery, type QueryResult } from "./lake-query";
import { LocalObjectWriter } from "./lake-writer";
import type { Progress } from "./progress";
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
  readonly progress: Progress;
}

export interface LocalRunResult {
  readonly lakeDir: string;
  readonly reports: QualityReport[];
  readonly batchSkipped: boolean;
  readonly queries: { query: SqlQuery; result: QueryResult }[];
}

/**
 * The whole lakehouse on a laptop: seed raw CSVs, batch job, N generator ticks
 * each followed by the incremental job, then every `sql/` query on DuckDB. A
 * second run only does what is new: seeds stay, the batch job is skipped when
 * its inputs did not change, and the incremental job picks up only new files.
 */
export async function runLocalPipeline(options: LocalRunOptions): Promise<LocalRunResult> {
  const { config, progress } = options;
  const lakeDir = resolve(options.lakeDir ?? ".lake");
  mkdirSync(lakeDir, { recursive: true });
  const dirtyRate = options.dirtyRate ?? 0.05;
  const reports: QualityReport[] = [];

  let done = progress.step("seed sample raw data");
  const seeded = seedRawData({ lakeDir, seed: options.seed, orders: options.orders, dirtyRate });
  done(seeded.written.length ? `wrote ${seeded.written.join(", ")}` : "raw data already present, kept as is");

  const batchSkipped = batchInputsUnchanged(config, lakeDir);
  if (batchSkipped) {
    progress.step("batch job")("raw batch files unchanged since the last batch run, skipped");
  } else {
    const report = await runLocalJob({ config, lakeDir, job: "batch", progress });
    rememberBatchInputs(config, lakeDir, report.run_id);
    reports.push(report);
  }

  const feed = config.datasets.find((d) => d.incremental);
  const ticks = options.ticks ?? 3;
  if (feed && ticks > 0) {
    const writer = new LocalObjectWriter(lakeDir);
    for (let tick = 1; tick <= ticks; tick++) {
      done = progress.step(`tick ${tick}/${ticks}: generator`);
      // The Lambda's own code path, with the lake folder standing in for S3.
      const written = await writeOrderBatch(
        {
          s3: writer,
          settings: {
            bucket: "local",
            rawPrefix: `${ZONES.raw}${feed.incremental!.rawFolder}/`,
            ordersPerInvocation: config.ingestion.ordersPerInvocation,
            dirtyRate,
            catalogSeed: SAMPLE_CATALOG.seed,
            customerCount: SAMPLE_CATALOG.customers,
            productCount: SAMPLE_CATALOG.products,
          },
          log: () => undefined,
        },
        `local-${randomUUID()}`,
      );
      const dirty = Object.entries(written.dirt).filter(([kind, n]) => kind !== "clean" && n > 0);
      done(`${written.rows} orders -> ${written.key}${dirty.length ? ` (dirty on purpose: ${dirty.map(([k, n]) => `${n} ${k}`).join(", ")})` : ""}`);
      reports.push(await runLocalJob({ config, lakeDir, job: "incremental", progress }));
    }
  }

  done = progress.step("analytics from sql/ on DuckDB");
  const lake = await LakeQuery.open(config, lakeDir);
  try {
    const queries = [];
    for (const query of loadSqlQueries()) queries.push({ query, result: await lake.query(query.sql) });
    done(`${queries.length} queries`);
    return { lakeDir, reports, batchSkipped, queries };
  } finally {
    lake.close();
  }
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
    const totals = readQualityReports(lakeDir).map((report) => report.totals);
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
