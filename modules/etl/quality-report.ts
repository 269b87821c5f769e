import { z } from "zod";
import { JOB_KINDS } from "../config/naming";

/**
 * The quality report a job run writes last, at
 * `quality_reports/<job>/<run_id>.json` (path: `qualityReportKey` in
 * `config/naming.ts`). This schema is its one definition: the TypeScript type
 * is inferred from it, `docs/quality-report.schema.json` is generated from it
 * (`npx tsx scripts/build/quality-report-schema.ts`), and the tests check every
 * report the Python writer (`lakehouse_etl/report.py`) leaves against it.
 * Strict: a key the writer adds or drops fails the tests until it is added here.
 */
const count = z.number().int().nonnegative();
const byReason = z.record(z.string(), count).describe("Rows per quarantine reason; a row counts once per reason");

/** Counts every report has, per dataset and in total: `rows_read = rows_written + rows_quarantined + duplicates_dropped`. */
const qualityCounts = {
  rows_read: count.describe("Records read (not blank lines, not headers)"),
  rows_written: count.describe("Rows written to curated"),
  rows_quarantined: count.describe("Rows written to quarantine"),
  duplicates_dropped: count.describe("Rows dropped as duplicates: in the input, or superseded by curated"),
  files_processed: count,
  quarantined_by_reason: byReason,
};

export const datasetQualitySchema = z
  .object({
    table: z.string(),
    ...qualityCounts,
    files: z.array(
      z.strictObject({ path: z.string(), rows_read: count, rows_quarantined: count, problems: z.array(z.string()) }),
    ),
    duplicates_in_input: count,
    superseded_by_curated: count,
    quarantine_path: z.string().nullable(),
    partitions_written: z.array(z.string()).describe("Partitions rewritten, e.g. year=2026/month=1/day=5; empty when unpartitioned"),
    partitions_in_table: count,
    files_written: count,
    files_removed: count,
  })
  .strict();

export const qualityReportSchema = z
  .object({
    report_version: z.literal(1),
    job: z.enum(JOB_KINDS),
    job_name: z.string(),
    run_id: z.string(),
    status: z.literal("succeeded").describe("A run that fails writes no report"),
    now: z.string(),
    started_at: z.string(),
    finished_at: z.string(),
    spark_version: z.string(),
    datasets: z.record(z.string(), datasetQualitySchema).describe("By dataset name"),
    totals: z.strictObject({ ...qualityCounts, partitions_written: count }),
    metrics: z
      .strictObject({
        namespace: z.string().nullable().describe("The CloudWatch namespace published to; null when the run publishes none (a local run on a folder)"),
        published: count.describe("Metric values published (modules/config/metrics.ts names them)"),
        error: z.string().nullable().describe("Why publishing stopped; the run still succeeded, its data is written"),
      })
      .optional()
      .describe("The run's CloudWatch metrics, published after its data and before this report; absent from reports of jobs rendered before the jobs published metrics"),
  })
  .strict()
  .describe("The quality report of one Glue job run");

export type QualityReport = z.infer<typeof qualityReportSchema>;
export type DatasetQuality = z.infer<typeof datasetQualitySchema>;
export type QualityCounts = QualityReport["totals"];

/**
 * A report as read back, checked against the schema: the report, or its first
 * problem by field (`datasets.orders.rows_read: Invalid input: ...`).
 */
export function checkQualityReport(json: unknown): { report: QualityReport } | { problem: string } {
  const parsed = qualityReportSchema.safeParse(json);
  if (parsed.success) return { report: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue.path.join(".") || "(the report)"}: ${issue.message}` };
}

/** The JSON Schema of the report, for readers outside TypeScript (`docs/quality-report.schema.json`). */
export function qualityReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(qualityReportSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
}

/** The datasets (and `total`) of a report whose counts break `rows_read = rows_written + rows_quarantined + duplicates_dropped`. */
export function unbalancedCounts(report: QualityReport): string[] {
  const parts: [string, Omit<QualityCounts, "partitions_written"> | QualityCounts][] = [...Object.entries(report.datasets), ["total", report.totals]];
  return parts
    .filter(([, c]) => c.rows_read !== c.rows_written + c.rows_quarantined + c.duplicates_dropped)
    .map(([name, c]) => `${name}: read ${c.rows_read} != written ${c.rows_written} + quarantined ${c.rows_quarantined} + duplicates ${c.duplicates_dropped}`);
}
