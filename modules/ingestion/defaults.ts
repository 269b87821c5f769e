/**
 * The order generator's defaults, read by {@link OrderIngestion}, the config
 * schema (`ingestion.*`) and the cost estimate.
 */
export const ORDER_INGESTION_DEFAULTS = {
  schedule: "rate(1 hour)",
  scheduleEnabled: true,
  ordersPerInvocation: 50,
  dirtyRate: 0,
  /** Reserved (and capped) concurrency; `null` for none. */
  reservedConcurrentExecutions: 2,
  memorySizeMb: 128,
  timeoutSeconds: 30,
  logRetentionDays: 14,
} as const;
