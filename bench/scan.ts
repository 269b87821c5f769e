/**
 * bench/scan: what partitioning and Parquet buy the daily-revenue query.
 * Seeds ~1M orders over 90 days, runs the batch job on local Spark, then reads
 * with DuckDB and measures the bytes each variant actually read from disk
 * (this process's `rchar` in /proc/self/io, before and after each query):
 *
 *   1. daily revenue for one month, through the curated `orders` view (partition pruning)
 *   2. daily revenue for every day, curated Parquet (full scan)
 *   3. daily revenue for every day, straight from the raw CSV (what Athena would scan without the lake)
 *
 *   npx tsx bench/scan.ts [--orders 1000000] [--lake DIR]   (a given --lake is reused if it already holds curated data)
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import defaultConfig from "../lakehouse.config";
import { resolveConfig } from "../modules/config";
import { filesUnder, runLocalJob } from "../scripts/local/jobs";
import { LakeQuery } from "../scripts/local/lake-query";
import { consoleProgress } from "../scripts/local/progress";
import { seedRawData, SEED_FILES } from "../scripts/local/seed-raw";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const orders = Number(arg("--orders") ?? 1_000_000);
const lakeDir = arg("--lake") ?? mkdtempSync(join(tmpdir(), "bench-scan-"));
const config = resolveConfig(defaultConfig);

function bytesReadSoFar(): number {
  const io = readFileSync("/proc/self/io", "utf8");
  return Number(/rchar:\s+(\d+)/.exec(io)![1]);
}

async function measure(lake: LakeQuery, sql: string) {
  await lake.query(sql); // warm the catalog and the code path; the page cache does not hide reads from rchar
  const before = bytesReadSoFar();
  const started = performance.now();
  const { rows } = await lake.query(sql);
  return { bytes: bytesReadSoFar() - before, seconds: (performance.now() - started) / 1000, rows: rows.length };
}

async function main() {
  const progress = consoleProgress();
  if (!existsSync(join(lakeDir, "curated", "orders"))) {
    const done = progress.step(`seed ${orders} orders over 90 days`);
    seedRawData({ lakeDir, orders, days: 90 });
    done(`${(statSync(join(lakeDir, SEED_FILES.orders)).size / 1e6).toFixed(1)} MB of CSV`);
    await runLocalJob({ config, lakeDir, job: "batch", progress });
  }
  const lake = await LakeQuery.open(config, lakeDir);
  const { rows } = await lake.query("SELECT year, month, count(*) AS n FROM orders GROUP BY 1, 2 ORDER BY n DESC LIMIT 1");
  const { year, month } = rows[0] as { year: number; month: number };
  const csv = join(lakeDir, SEED_FILES.orders);
  const variants = {
    [`one month (${year}-${month}), curated, pruned`]: `SELECT order_date, sum(revenue) AS revenue FROM orders WHERE year = ${year} AND month = ${month} GROUP BY order_date`,
    "all days, curated Parquet (full scan)": "SELECT order_date, sum(revenue) AS revenue FROM orders GROUP BY order_date",
    "all days, raw CSV": `SELECT CAST(order_ts AS DATE) AS order_date, sum(revenue) AS revenue FROM read_csv('${csv}', header = true, ignore_errors = true) GROUP BY 1`,
  };
  const results: Record<string, { bytes: number; seconds: number; rows: number }> = {};
  for (const [name, sql] of Object.entries(variants)) results[name] = await measure(lake, sql);
  lake.close();

  const parquetFiles = filesUnder(join(lakeDir, "curated", "orders")).filter((f) => f.endsWith(".parquet"));
  const parquetBytes = parquetFiles.reduce((sum, f) => sum + statSync(f).size, 0);
  const [pruned, full, raw] = Object.values(results);
  console.log(`\nlake: ${lakeDir} (${parquetFiles.length} Parquet files, ${(parquetBytes / 1e6).toFixed(1)} MB; raw CSV ${(statSync(csv).size / 1e6).toFixed(1)} MB)`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(42)} read ${(r.bytes / 1e6).toFixed(2).padStart(8)} MB in ${r.seconds.toFixed(3)} s (${r.rows} rows)`);
  }
  console.log(`one month vs raw CSV: ${(raw.bytes / pruned.bytes).toFixed(1)}x fewer bytes; vs full Parquet scan: ${(full.bytes / pruned.bytes).toFixed(1)}x fewer`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
