/**
 * The Iceberg table optimizers' defaults, read by {@link IcebergTableMaintenance}
 * and the cost estimate. They are AWS's own defaults (Glue API reference:
 * IcebergRetentionConfiguration, IcebergOrphanFileDeletionConfiguration), set
 * explicitly so the plan shows them and a change of AWS's defaults changes
 * nothing here.
 */
export const TABLE_MAINTENANCE_DEFAULTS = {
  /** Compaction rewrites small data files into larger ones when they pile up. */
  compactionEnabled: true,
  /** Snapshot retention expires old snapshots. */
  retentionEnabled: true,
  /** Days a snapshot is kept (time travel reaches back this far). */
  snapshotRetentionPeriodInDays: 5,
  /** Snapshots always kept, however old. */
  numberOfSnapshotsToRetain: 1,
  /** Also delete the files only expired snapshots referenced (otherwise they become orphans). */
  cleanExpiredFiles: true,
  /** Hours between retention runs (AWS allows 3..168). */
  retentionRunRateInHours: 24,
  /** Orphan file deletion removes files under the table no snapshot references. */
  orphanFileDeletionEnabled: true,
  /** Days an unreferenced file is left alone first: longer than any commit (a job run is at most 48 h). */
  orphanFileRetentionPeriodInDays: 3,
  /** Hours between orphan file deletion runs (AWS allows 3..168). */
  orphanFileDeletionRunRateInHours: 24,
} as const;
