/** The Athena workgroup's defaults, read by {@link LakeAnalytics} and the config schema (`athena.*`). */
export const LAKE_ANALYTICS_DEFAULTS = {
  /** Per-query scan limit in bytes (100 MB); Athena's minimum is 10485760. */
  bytesScannedCutoffPerQuery: 104_857_600,
} as const;

/** Athena's own floor for `bytes_scanned_cutoff_per_query` (10 MB). */
export const ATHENA_MIN_BYTES_SCANNED_CUTOFF = 10_485_760;
