/**
 * The local lakehouse with `format: "iceberg"` on orders: the pipeline (batch,
 * dirty generator ticks) on local Spark with Iceberg tables, the `sql/`
 * analytics on DuckDB (its Iceberg extension) and on Trino (its Iceberg
 * connector), and the same raw files through the Parquet tables: every
 * analytic agrees, row for row, to the cent.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";
import { resolveConfig } from "../../modules/config";
import { sqlQueriesFor } from "../../scripts/build/sql-queries";
import { runGlueJobLocally } from "../../scripts/local/glue-runner";
import { databaseName } from "../../modules/config/naming";
import { readIcebergMetadataLocations } from "../../scripts/local/iceberg-catalog";
import { filesUnder } from "../../scripts/local/jobs";
import { LakeQuery, type QueryResult } from "../../scripts/local/lake-query";
import { runLocalPipeline, type LocalRunResult } from "../../scripts/local/pipeline";
import { silentProgress } from "../../scripts/local/progress";
import { seedRawData } from "../../scripts/local/seed-raw";
import { requireTrinoInstall } from "../../scripts/local/trino/install";
import { TrinoLakeQuery } from "../../scripts/local/trino/trino-lake-query";
import { cleanOrdersFromRaw, dailyRevenue, rawFiles } from "./independent-analytics";

const parquet = resolveConfig(defaultConfig);
const iceberg = resolveConfig({
  ...defaultConfig,
  datasets: defaultConfig.datasets.map((d) => (d.name === "orders" ? { ...d, format: "iceberg" as const } : d)),
});
const SETUP_MINUTES = 20 * 60_000;
const ANALYTICS = sqlQueriesFor(iceberg).map((q) => q.name);

describe("Iceberg orders on the local lakehouse, read by DuckDB and Trino, against Parquet on the same input", () => {
  const icebergDir = mkdtempSync(join(tmpdir(), "lakehouse-iceberg-"));
  const parquetDir = mkdtempSync(join(tmpdir(), "lakehouse-iceberg-as-parquet-"));
  let run: LocalRunResult;
  const results: Record<"iceberg" | "parquet" | "trino", Record<string, QueryResult>> = { iceberg: {}, parquet: {}, trino: {} };

  async function analytics(engine: { query(sql: string): Promise<QueryResult> }, config = iceberg): Promise<Record<string, QueryResult>> {
    const out: Record<string, QueryResult> = {};
    for (const q of sqlQueriesFor(config)) out[q.name] = await engine.query(q.sql);
    return out;
  }

  beforeAll(async () => {
    requireTrinoInstall();
    seedRawData({ lakeDir: icebergDir, orders: 1500, days: 45, dirtyRate: 0 });
    run = await runLocalPipeline({ config: iceberg, lakeDir: icebergDir, ticks: 2, dirtyRate: 0.2, progress: silentProgress });
    // The same raw files (arrival times kept) through Parquet tables: a batch, then one incremental run over both ticks.
    cpSync(join(icebergDir, "raw"), join(parquetDir, "raw"), { recursive: true, preserveTimestamps: true });
    for (const job of ["batch", "incremental"] as const) {
      const result = await runGlueJobLocally({ config: parquet, job, lakeDir: parquetDir });
      if (result.exitCode !== 0) throw new Error(`parquet ${job} failed:\n${result.errorTail.join("\n")}`);
    }
    const duckIceberg = await LakeQuery.open(iceberg, icebergDir);
    const duckParquet = await LakeQuery.open(parquet, parquetDir);
    try {
      results.iceberg = await analytics(duckIceberg);
      results.parquet = await analytics(duckParquet, parquet);
    } finally {
      duckIceberg.close();
      duckParquet.close();
    }
    const trino = await TrinoLakeQuery.open(iceberg, icebergDir);
    try {
      results.trino = await analytics(trino);
    } finally {
      await trino.close();
    }
  }, SETUP_MINUTES);

  afterAll(() => {
    rmSync(icebergDir, { recursive: true, force: true });
    rmSync(parquetDir, { recursive: true, force: true });
  });

  test("the lake's local catalog points orders at its newest metadata file, in the table's folder", async () => {
    const files = filesUnder(join(icebergDir, "curated", "orders"));
    expect(files.some((f) => /\/data\/year=\d+\/month=\d+\/day=\d+\/.+\.parquet$/.test(f))).toBe(true);
    const metadata = files.filter((f) => /\/metadata\/\d{5}-[0-9a-f-]+\.metadata\.json$/.test(f)).sort();
    const locations = await readIcebergMetadataLocations(icebergDir, databaseName(iceberg, iceberg.environments[0].name));
    expect([...locations.keys()]).toEqual(["orders"]);
    expect(locations.get("orders")).toBe(`file:${metadata[metadata.length - 1]}`);
  });

  test("every run's quality report balances: read = curated + quarantined + duplicates", () => {
    expect(run.reports).toHaveLength(3);
    for (const report of run.reports) {
      const t = report.totals;
      expect(t.rows_read).toBe(t.rows_written + t.rows_quarantined + t.duplicates_dropped);
    }
  });

  test.each(ANALYTICS)("%s over Iceberg on DuckDB equals the same analytic over Parquet, row for row", (name) => {
    expect(results.iceberg[name].rows.length).toBeGreaterThan(0);
    expect(results.iceberg[name]).toEqual(results.parquet[name]);
  });

  test.each(ANALYTICS)("%s over Iceberg on Trino equals DuckDB's, row for row", (name) => {
    expect(results.trino[name].columns).toEqual(results.iceberg[name].columns);
    expect(results.trino[name].rows).toEqual(results.iceberg[name].rows);
  });

  test("daily revenue over Iceberg equals an independent recomputation from the raw files, to the cent", () => {
    const oracle = cleanOrdersFromRaw(icebergDir, rawFiles(icebergDir, filesUnder), new Date());
    const rows = results.iceberg.daily_revenue.rows.map((r) => ({ order_date: String(r.order_date), orders: String(r.orders), units: String(r.units), revenue: String(r.revenue) }));
    expect(rows).toEqual(dailyRevenue(oracle).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))));
  });
});
