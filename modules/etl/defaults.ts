/**
 * The Glue jobs' defaults, read by {@link GlueJobs} and the config schema
 * (`glue.*`), so a construct used without the config behaves as the config's defaults.
 */
export const GLUE_JOB_DEFAULTS = {
  /** Always explicit: Glue picks 6.0 for a job created without one. */
  glueVersion: "5.0",
  /** 1 DPU per worker. */
  workerType: "G.1X",
  /** Glue's minimum for a Spark job. */
  numberOfWorkers: 2,
  timeoutMinutes: 30,
  /** The jobs are idempotent, so one retry is safe. */
  maxRetries: 1,
  executionClass: "STANDARD",
  /**
   * Datasets one job processes at most; more datasets get more jobs of the same
   * kind. 25 keeps a job's role within IAM's quotas even with 63-character dataset
   * names and a KMS key (measured in bench/scale.ts), and a batch run of 25 small
   * datasets well inside the timeout.
   */
  datasetsPerJob: 25,
  /** Daily at 02:00 UTC (a Glue cron expression). */
  incrementalSchedule: "cron(0 2 * * ? *)",
} as const;
