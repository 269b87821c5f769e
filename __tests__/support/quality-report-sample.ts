/** A quality report for the ops tests, as a Glue job of the sample config writes it. */

/** A dataset's part of a report: the given counts, the rest empty. */
const datasetPart = (table: string, counts: { rows_read: number; rows_written: number; rows_quarantined: number; duplicates_dropped: number; files_processed: number; quarantined_by_reason: Record<string, number> }) => ({
  table,
  ...counts,
  files: [],
  duplicates_in_input: counts.duplicates_dropped,
  superseded_by_curated: 0,
  quarantine_path: counts.rows_quarantined > 0 ? `quarantine/${table}/run_id=jr_1/` : null,
  partitions_written: [],
  partitions_in_table: 0,
  files_written: 1,
  files_removed: 0,
});

/** A batch run's report in the format the jobs write (modules/etl/quality-report.ts): 1200 rows read, 1160 curated, 30 quarantined, 10 duplicates. */
export const SAMPLE_REPORT = {
  report_version: 1,
  job: "batch",
  job_name: "shoplake-dev-batch",
  run_id: "jr_1",
  status: "succeeded",
  now: "2026-01-05T02:00:00Z",
  started_at: "2026-01-05T02:00:03Z",
  finished_at: "2026-01-05T02:01:10Z",
  spark_version: "3.5.4",
  datasets: {
    customers: datasetPart("dim_customers", { rows_read: 200, rows_written: 200, rows_quarantined: 0, duplicates_dropped: 0, files_processed: 1, quarantined_by_reason: {} }),
    orders: datasetPart("orders", {
      rows_read: 1000,
      rows_written: 960,
      rows_quarantined: 30,
      duplicates_dropped: 10,
      files_processed: 3,
      quarantined_by_reason: { "not_positive:quantity": 12, unknown_customer_id: 18 },
    }),
  },
  totals: {
    rows_read: 1200,
    rows_written: 1160,
    rows_quarantined: 30,
    duplicates_dropped: 10,
    files_processed: 4,
    partitions_written: 0,
    quarantined_by_reason: { "not_positive:quantity": 12, unknown_customer_id: 18 },
  },
};
