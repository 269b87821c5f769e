/**
 * The lake bucket's lifecycle defaults: {@link LakeStorage} applies them when a
 * prop is left out, and the config schema (`storage.*`) defaults to them.
 */
export const LAKE_STORAGE_DEFAULTS = {
  /** Days before objects under `quarantine/` expire. */
  quarantineExpirationDays: 30,
  /** Days before objects under `athena-results/` expire. */
  athenaResultsExpirationDays: 7,
  /** Days before incomplete multipart uploads are aborted. */
  abortIncompleteUploadDays: 1,
  /** Days a replaced or deleted object version is kept, to undo a bad job run. */
  noncurrentVersionExpirationDays: 7,
} as const;
