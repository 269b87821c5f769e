/**
 * The pipeline's own CloudWatch metrics: the one definition the jobs publish
 * by (rendered into the scripts as `METRICS`, as `LAYOUT` is), the alarms and
 * the dashboard read, the job roles' `cloudwatch:PutMetricData` condition
 * names, and the cost estimate counts.
 *
 * Each run publishes, when it has written its data and before its quality
 * report: per job one {@link JOB_METRICS} value each, and per dataset of the
 * run one {@link DATASET_METRICS} value each, from the counts the report holds
 * (`QuarantinedPercent` only when the run read rows of the dataset).
 */

/** A metric the jobs publish: its CloudWatch name and unit. */
export interface PipelineMetric {
  readonly name: string;
  readonly unit: "Count" | "Seconds" | "Percent";
}

/** A per-dataset metric: where its value comes from in the dataset's part of the quality report. */
export interface DatasetMetric extends PipelineMetric {
  /** The report field it equals, or `quarantined_percent`: 100 x rows_quarantined / rows_read. */
  readonly from: "rows_read" | "rows_written" | "rows_quarantined" | "duplicates_dropped" | "files_processed" | "quarantined_percent";
}

/** The job argument that names the namespace; a run without it publishes nothing (a local run on a folder). */
export const METRICS_NAMESPACE_ARGUMENT = "metrics_namespace";

/** Dimension names: per-job metrics carry `JobName` (the Glue job's name), per-dataset ones `Dataset` (the config's dataset name). */
export const METRIC_DIMENSIONS = { job: "JobName", dataset: "Dataset" } as const;

export const JOB_METRICS = {
  /** 1 per run that wrote its data (a failed run publishes nothing; its failure is an EventBridge alert). */
  runsSucceeded: { name: "RunsSucceeded", unit: "Count" },
  /** Seconds from the script's start to its report. */
  runSeconds: { name: "RunSeconds", unit: "Seconds" },
  /**
   * The largest `QuarantinedPercent` among the run's datasets (none when it read no rows):
   * the quality alarm watches it, one alarm per job rather than per dataset ($0.10 each).
   */
  worstQuarantinedPercent: { name: "WorstQuarantinedPercent", unit: "Percent" },
} as const satisfies Record<string, PipelineMetric>;

export const DATASET_METRICS = {
  rowsRead: { name: "RowsRead", unit: "Count", from: "rows_read" },
  rowsWritten: { name: "RowsWritten", unit: "Count", from: "rows_written" },
  rowsQuarantined: { name: "RowsQuarantined", unit: "Count", from: "rows_quarantined" },
  duplicatesDropped: { name: "DuplicatesDropped", unit: "Count", from: "duplicates_dropped" },
  /** Also 0 for a feed with no new files: the freshness alarm sums it. */
  filesProcessed: { name: "FilesProcessed", unit: "Count", from: "files_processed" },
  /** One run's quarantined share of the rows it read (the dashboard graphs it per dataset). */
  quarantinedPercent: { name: "QuarantinedPercent", unit: "Percent", from: "quarantined_percent" },
} as const satisfies Record<string, DatasetMetric>;

/**
 * The namespace of one environment's metrics, `Lakehouse/<prefix>-<env>`: a
 * job role may publish to its own environment's only, and a dashboard or
 * alarm of one environment never reads another's.
 */
export function metricsNamespace(stem: string): string {
  return `Lakehouse/${stem}`;
}

/** How many distinct metrics the jobs publish: per job, per dataset (a dataset's `QuarantinedPercent` included). */
export const METRICS_PER_JOB = Object.keys(JOB_METRICS).length;
export const METRICS_PER_DATASET = Object.keys(DATASET_METRICS).length;
