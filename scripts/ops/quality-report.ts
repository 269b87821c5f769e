/**
 * The quality report a Glue job run writes last, at
 * `<lake root>/quality_reports/<job kind>/<run id>.json` (format: the ETL
 * templates' `build_report`), fetched and summarized for the terminal.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { awsCall, errorName, OpsError, type S3Api } from "./aws";
import { qualityReportKey } from "../../modules/config/naming";
import type { LakeLocation } from "./targets";
import { compactTable } from "../lib/compact-table";
import { checkQualityReport, unbalancedCounts, type QualityCounts, type QualityReport } from "../../modules/etl/quality-report";

export { unbalancedCounts, type QualityReport };

export interface FetchedReport {
  readonly uri: string;
  readonly report: QualityReport;
}

/** The report's key under the lake root. */
export function reportKey(lake: LakeLocation, jobKind: string, runId: string): string {
  return `${lake.prefix}${qualityReportKey(lake.systemPrefix, jobKind, runId)}`;
}

/** Reads a run's report; undefined when the run wrote none. */
export async function fetchQualityReport(
  s3: S3Api,
  lake: LakeLocation,
  jobKind: string,
  runId: string,
  region: string,
): Promise<FetchedReport | undefined> {
  const key = reportKey(lake, jobKind, runId);
  const uri = `s3://${lake.bucket}/${key}`;
  const object = await awsCall(
    { doing: `reading quality report ${uri}`, region, notFound: `bucket ${lake.bucket} (from ${lake.source}) not found in ${region}; pass --bucket` },
    async () => {
      try {
        return await s3.send(new GetObjectCommand({ Bucket: lake.bucket, Key: key }));
      } catch (error) {
        if (errorName(error) === "NoSuchKey") return undefined;
        throw error;
      }
    },
  );
  if (!object?.Body) return undefined;
  const text = await object.Body.transformToString("utf-8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OpsError(`quality report ${uri} is not valid JSON; inspect it with "aws s3 cp ${uri} -"`);
  }
  const checked = checkQualityReport(json);
  if ("problem" in checked) {
    throw new OpsError(`quality report ${uri} is not in the report format (docs/quality-report.schema.json): ${checked.problem}; inspect it with "aws s3 cp ${uri} -"`);
  }
  return { uri, report: checked.report };
}

/** A table of rows read / written / quarantined / duplicates per dataset, then quarantine reasons. */
export function formatQualityReport(fetched: FetchedReport): string {
  const { report, uri } = fetched;
  const lines = [`quality report ${uri}`];
  const datasets = Object.entries(report.datasets);
  const table = compactTable(["dataset", "files", "rows read", "written", "quarantined", "duplicates"]);
  const row = (name: string, c: Omit<QualityCounts, "partitions_written">) =>
    [name, c.files_processed, c.rows_read, c.rows_written, c.rows_quarantined, c.duplicates_dropped].map(String);
  for (const [name, counts] of datasets) table.push(row(name, counts));
  table.push(row("total", report.totals));
  lines.push(table.toString());

  const reasons = Object.entries(report.totals.quarantined_by_reason);
  lines.push(
    reasons.length === 0
      ? "quarantined by reason: none"
      : `quarantined by reason:\n${reasons
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([reason, count]) => `  ${reason}: ${count}`)
          .join("\n")}`,
  );
  const unbalanced = unbalancedCounts(report);
  lines.push(unbalanced.length === 0 ? "counts add up: rows read = written + quarantined + duplicates" : `COUNTS DO NOT ADD UP:\n  ${unbalanced.join("\n  ")}`);
  return lines.join("\n");
}

/** Quarantine reasons summed over several counts (datasets of a run, or runs). */
export function mergeReasons(counts: readonly Pick<QualityCounts, "quarantined_by_reason">[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const c of counts) for (const [reason, n] of Object.entries(c.quarantined_by_reason)) merged[reason] = (merged[reason] ?? 0) + n;
  return merged;
}
