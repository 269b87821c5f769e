/** The budget's defaults, read by the config schema (`budget.*`). */
export const COST_BUDGET_DEFAULTS = {
  /** Monthly limit in USD. */
  monthlyUsd: 5,
} as const;
