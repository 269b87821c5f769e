import { schedulePeriodHours } from "../budget/schedule";

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
  /** A feed's freshness alarm fires after this many periods of the incremental schedule without a new file processed. */
  freshnessSchedulePeriods: 3,
  /** CloudWatch evaluates an alarm over at most 7 days (period x evaluation periods). */
  maxFreshnessHours: 168,
  /** A run that quarantines more than this share of a dataset's rows (percent) fires its quality alarm. */
  quarantinedPercent: 5,
  /** Seconds of one period of the freshness and quality alarms. */
  metricAlarmPeriodSeconds: 3600,
} as const;

/**
 * Hours without a new file of a feed processed before its freshness alarm
 * fires: the configured figure, or {@link ALERT_DEFAULTS.freshnessSchedulePeriods}
 * periods of the incremental schedule (whole hours, at most 7 days);
 * `undefined` for no freshness alarm (null, or on demand runs only).
 */
export function freshnessHours(configured: number | null | undefined, incrementalSchedule: string | null): number | undefined {
  if (configured === null) return undefined;
  if (configured !== undefined) return configured;
  if (!incrementalSchedule) return undefined;
  const hours = Math.ceil(ALERT_DEFAULTS.freshnessSchedulePeriods * schedulePeriodHours(incrementalSchedule));
  return Math.min(ALERT_DEFAULTS.maxFreshnessHours, Math.max(1, hours));
}
