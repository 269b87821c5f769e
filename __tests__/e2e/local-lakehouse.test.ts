import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";
import { resolveConfig } from "../../modules/config";
import { qualityReportSchema } from "../../modules/etl/quality-report";
import { filesUnder, readQualityReports } from "../../scripts/local/jobs";
import { LakeQuery } from "../../scripts/local/lake-query";
import { runLocalPipeline, type LocalRunResult } from "../../scripts/local/pipeline";
import { silentProgress } from "../../scripts/local/progress";
import { seedRawData } from "../../scripts/local/seed-raw";
import { cleanOrdersFromRaw, customerLtv, dailyRevenue, rawFiles, regionPerformance, topProducts, type RawLake } from "./independent-analytics";

const config = resolveConfig(defaultConfig);
const SPARK_MINUTES = 20 * 60_000;

/** Compares the money and count columns the oracle knows, as strings (decimals arrive exact). */
function pick(rows: Record<string, unknown>[], columns: string[]) {
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] === null ? null : String(row[c])])));
}
const asStrings = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));

describe("the local lakehouse end to end", () => {
  const lakeDir = mkdtempSync(join(tmpdir(), "lakehouse-e2e-"));
  let first: LocalRunResult;
  let oracle: RawLake;
  const results = (name: string) => first.queries.find((q) => q.query.name === name)!.result.rows;

  beforeAll(async () => {
    // A clean history in the batch CSV, then dirty generator ticks: the quarantine path runs end to end.
    seedRawData({ lakeDir, orders: 3000, days: 60, dirtyRate: 0 });
    first = await runLocalPipeline({ config, lakeDir, ticks: 3, dirtyRate: 0.2, progress: silentProgress });
    oracle = cleanOrdersFromRaw(lakeDir, rawFiles(lakeDir, filesUnder), new Date());
  }, SPARK_MINUTES);

  afterAll(() => rmSync(lakeDir, { recursive: true, force: true }));

  test("runs the batch job once and the incremental job after each tick", () => {
    expect(first.reports.map((r) => r.job)).toEqual(["batch", "incremental", "incremental", "incremental"]);
  });

  test("every job of one local run runs in the same Spark application (one JVM, one session)", () => {
    const applications = first.reports.map((report) => {
      const log = readFileSync(join(lakeDir, "_system", "logs", `${report.run_id}.log`), "utf8");
      return /\(Spark application ([^)]+)\)/.exec(log)?.[1];
    });
    expect(applications).toHaveLength(4);
    expect(applications[0]).toBeDefined();
    expect(new Set(applications).size).toBe(1);
  });

  test("every run's quality report balances: read = curated + quarantined + duplicates", () => {
    for (const { totals } of readQualityReports(lakeDir, "")) {
      expect(totals.rows_read).toBe(totals.rows_written + totals.rows_quarantined + totals.duplicates_dropped);
    }
  });

  test("every report the Python writer left is in the report format of modules/etl/quality-report.ts", () => {
    const files = filesUnder(join(lakeDir, "quality_reports")).filter((file) => file.endsWith(".json"));
    expect(files).toHaveLength(4);
    for (const file of files) expect(qualityReportSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))).error).toBeUndefined();
  });

  test("dirty generator rows land in quarantine with their reasons", () => {
    const reasons = Object.assign({}, ...first.reports.map((r) => r.totals.quarantined_by_reason));
    expect(Object.keys(reasons)).toEqual(
      expect.arrayContaining(["malformed_record", "unknown_customer_id", "not_positive:quantity", "future_timestamp:order_ts"]),
    );
    expect(filesUnder(join(lakeDir, "quarantine", "orders")).length).toBeGreaterThan(0);
  });

  test("daily revenue from sql/ equals an independent recomputation from the raw files, to the cent", () => {
    expect(pick(results("daily_revenue"), ["order_date", "orders", "units", "revenue"])).toEqual(asStrings(dailyRevenue(oracle)));
  });

  test("top products from sql/ equal the independent recomputation", () => {
    expect(pick(results("top_products"), ["product_id", "orders", "units", "revenue"])).toEqual(asStrings(topProducts(oracle)));
  });

  test("customer lifetime value from sql/ equals the independent recomputation", () => {
    const columns = ["customer_id", "region", "orders", "lifetime_revenue", "first_order_date", "last_order_date"];
    expect(pick(results("customer_ltv"), columns)).toEqual(asStrings(customerLtv(oracle)));
  });

  test("region performance from sql/ equals the independent recomputation", () => {
    expect(pick(results("region_performance"), ["region", "customers", "orders", "revenue"])).toEqual(asStrings(regionPerformance(oracle)));
  });

  test("a date-filtered query reads only the matching partition's files", async () => {
    const { order_date: day } = dailyRevenue(oracle)[10];
    const [year, month, dayOfMonth] = day.split("-").map(Number);
    const parquet = (dir: string) => filesUnder(dir).filter((f) => f.endsWith(".parquet")).length;
    const partitionFiles = parquet(join(lakeDir, "curated", "orders", `year=${year}`, `month=${month}`, `day=${dayOfMonth}`));
    const allFiles = parquet(join(lakeDir, "curated", "orders"));
    const lake = await LakeQuery.open(config, lakeDir);
    try {
      // DuckDB's profile counts the Parquet files each scan opened.
      const profile = await lake.explainAnalyze(
        `SELECT order_date, sum(revenue) FROM orders WHERE year = ${year} AND month = ${month} AND day = ${dayOfMonth} GROUP BY order_date`,
      );
      expect(profile).toContain(`Scanning Files: ${partitionFiles}/${allFiles}`);
      expect(profile).toMatch(new RegExp(`Total Files Read: ${partitionFiles}\\b`));
      expect(await lake.explainAnalyze("SELECT sum(revenue) FROM orders")).toMatch(new RegExp(`Total Files Read: ${allFiles}\\b`));
      expect(allFiles).toBeGreaterThan(50 * partitionFiles);
    } finally {
      lake.close();
    }
  });

  /** The report runs through the CLI: vega ships as ES modules only, which jest's module system cannot load. */
  function writeReport(): string {
    const cli = spawnSync(process.execPath, [join(__dirname, "..", "..", "bin", "lakehouse.js"), "local", "report", "--lake", lakeDir], { encoding: "utf8" });
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    return join(lakeDir, "report.html");
  }

  test("the report is one self-contained page with four charts and the quality summary", () => {
    const path = writeReport();
    const html = readFileSync(path, "utf8");
    expect(html.match(/<svg/g)?.length).toBe(5);
    for (const title of ["Daily revenue", "Top products", "Region performance", "Customer lifetime value", "Data quality"]) expect(html).toContain(title);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  test("the report renders in headless Chromium", () => {
    const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
    if (!chromium) {
      console.warn("SKIPPED: no Chromium on this machine, the report was not rendered in a browser (apt-get install chromium)");
      return;
    }
    const path = writeReport();
    const screenshot = join(lakeDir, "report.png");
    const result = spawnSync(
      chromium,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", `--user-data-dir=${mkdtempSync(join(tmpdir(), "chromium-"))}`, "--window-size=1200,2400", `--screenshot=${screenshot}`, `file://${path}`],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(existsSync(screenshot)).toBe(true);
    // A blank page compresses to a few KB; five charts and tables do not.
    expect(statSync(screenshot).size).toBeGreaterThan(50_000);
    expect(result.status).toBe(0);
  }, 180_000);

  test("lakehouse local query reaches the tables by their Glue catalog names", () => {
    const cli = spawnSync(
      process.execPath,
      [join(__dirname, "..", "..", "bin", "lakehouse.js"), "local", "query", "--lake", lakeDir, "--format", "json",
        "--sql", "SELECT count(*) AS orders, sum(revenue) AS revenue FROM shoplake_dev_lake.orders"],
      { encoding: "utf8" },
    );
    expect(cli.status).toBe(0);
    const cents = oracle.orders.reduce((sum, o) => sum + o.revenueCents, 0);
    expect(JSON.parse(cli.stdout)).toEqual([{ orders: String(oracle.orders.length), revenue: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}` }]);
  });

  test("a second run skips the unchanged batch and processes only the new tick's file", async () => {
    const before = readQualityReports(lakeDir, "").length;
    const second = await runLocalPipeline({ config, lakeDir, ticks: 1, dirtyRate: 0, progress: silentProgress });
    expect(second.batchSkipped).toBe(true);
    expect(second.reports.map((r) => r.job)).toEqual(["incremental"]);
    expect(second.reports[0].totals.files_processed).toBe(1);
    expect(readQualityReports(lakeDir, "")).toHaveLength(before + 1);
  }, SPARK_MINUTES);
});
