/** The alerts' defaults, read by the config schema (`alerts.*`) and the constructs. */
export const ALERT_DEFAULTS = {
  /**
   * Minutes after a job run starts before Glue reports it as late (`Glue Job Run
   * Status`): about five times the sample jobs' usual 3 to 6 minutes, and below the
   * job timeout (30 minutes by default), which ends the run with its own alert.
   */
  jobRunLateAfterMinutes: 15,
  /** Days KMS waits before it deletes the topic's key after a destroy (7..30). */
  keyDeletionWindowDays: 7,
  /** Seconds of one alarm period on the generator's metrics. */
  alarmPeriodSeconds: 300,
} as const;
