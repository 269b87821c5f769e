import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { LakehouseConfig } from "../../modules/config/schema";
import {
  dailyRevenueChart,
  ltvDistributionChart,
  qualityChart,
  regionChart,
  renderChart,
  topProductsChart,
} from "./charts";
import { mergeReasons } from "../ops/quality-report";
import { sqlQueriesFor } from "../build/sql-queries";
import { readQualityReports } from "./jobs";
import { LakeQuery, type QueryResult } from "./lake-query";

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Decimal columns arrive as strings (exact); charts need numbers. */
function numeric(rows: Record<string, unknown>[], columns: string[]): Record<string, unknown>[] {
  return rows.map((row) => ({ ...row, ...Object.fromEntries(columns.map((c) => [c, row[c] === null ? null : Number(row[c])])) }));
}

function htmlTable(result: QueryResult, maxRows = 15): string {
  const head = result.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = result.rows
    .slice(0, maxRows)
    .map((row) => `<tr>${result.columns.map((c) => `<td>${escapeHtml(String(row[c] ?? ""))}</td>`).join("")}</tr>`)
    .join("\n");
  const more = result.rows.length > maxRows ? `<p class="note">${result.rows.length - maxRows} more rows not shown</p>` : "";
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

/**
 * Writes `<lake>/report.html`: a self-contained page (inline SVG charts, no
 * scripts, no network) with daily revenue, top products, region performance,
 * the LTV distribution, and the quality summary of every job run.
 */
export async function writeLocalReport(config: LakehouseConfig, lakeDir: string, generatedAt = new Date()): Promise<string> {
  const lake = await LakeQuery.open(config, lakeDir);
  const results: Record<string, QueryResult> = {};
  try {
    for (const query of sqlQueriesFor(config)) results[query.name] = await lake.query(query.sql);
  } finally {
    lake.close();
  }
  const reports = readQualityReports(lakeDir, config.storage.systemPrefix);
  const qualityRows = reports.flatMap((r) => {
    const run = `${r.job} ${r.started_at.slice(5, 19).replace("T", " ")}`;
    return [
      { run, outcome: "curated", rows: r.totals.rows_written },
      { run, outcome: "quarantined", rows: r.totals.rows_quarantined },
      { run, outcome: "duplicates", rows: r.totals.duplicates_dropped },
    ];
  });
  const reasons = mergeReasons(reports.map((r) => r.totals));

  const charts = await Promise.all([
    renderChart(dailyRevenueChart, numeric(results.daily_revenue?.rows ?? [], ["revenue", "orders", "units"])),
    renderChart(topProductsChart, numeric(results.top_products?.rows ?? [], ["revenue"])),
    renderChart(regionChart, numeric(results.region_performance?.rows ?? [], ["revenue", "avg_order_value"])),
    renderChart(ltvDistributionChart, numeric(results.customer_ltv?.rows ?? [], ["lifetime_revenue"])),
    renderChart(qualityChart, qualityRows),
  ]);
  const runsTable: QueryResult = {
    columns: ["job", "run_id", "rows_read", "rows_written", "rows_quarantined", "duplicates_dropped", "files_processed", "partitions_written", "balanced"],
    rows: reports.map((r) => ({
      job: r.job,
      run_id: r.run_id,
      ...r.totals,
      balanced: r.totals.rows_read === r.totals.rows_written + r.totals.rows_quarantined + r.totals.duplicates_dropped ? "yes" : "NO",
    })),
  };
  const reasonsTable: QueryResult = {
    columns: ["reason", "rows"],
    rows: Object.entries(reasons)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([reason, rows]) => ({ reason, rows })),
  };

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${escapeHtml(config.project.name)}: local lakehouse report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .note{color:#666;font-size:.9rem}
section{margin:2rem 0} .grid{display:grid;grid-template-columns:1fr;gap:1rem}
table{border-collapse:collapse;font-size:.8rem;margin-top:.5rem;max-width:100%} th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}
th{background:#f4f4f4} svg{max-width:100%;height:auto}
</style></head><body>
<h1>${escapeHtml(config.project.name)}</h1>
<p class="note">Local lakehouse report, generated ${escapeHtml(generatedAt.toISOString())} from the curated Parquet in the local lake, with the same <code>sql/</code> queries Athena runs.</p>
<section><h2>Daily revenue</h2>${charts[0]}</section>
<section><h2>Top products</h2>${charts[1]}${htmlTable(results.top_products ?? { columns: [], rows: [] }, 10)}</section>
<section><h2>Region performance</h2>${charts[2]}${htmlTable(results.region_performance ?? { columns: [], rows: [] })}</section>
<section><h2>Customer lifetime value</h2>${charts[3]}</section>
<section><h2>Data quality</h2>
<p class="note">Every input row is curated, quarantined with a reason, or counted as a duplicate: rows read = curated + quarantined + duplicates in every run.</p>
${charts[4]}
<h3>Runs</h3>${htmlTable(runsTable, 100)}
<h3>Quarantine reasons (all runs)</h3>${htmlTable(reasonsTable, 100)}
</section>
</body></html>
`;
  const out = join(resolve(lakeDir), "report.html");
  writeFileSync(out, html);
  return out;
}
