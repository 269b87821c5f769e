import type { DatasetConfig, LakehouseConfig } from "./schema";

/** The lake's zones: top-level prefixes of the one lake bucket. */
export const ZONES = {
  raw: "raw/",
  curated: "curated/",
  quarantine: "quarantine/",
  qualityReports: "quality_reports/",
  athenaResults: "athena-results/",
  /** Job scripts and the incremental manifest; not a data zone, never queried. */
  system: "_system/",
} as const;
export type Zone = keyof typeof ZONES;

/** The folder a job's quality reports land in: `quality_reports/<job>/` (the jobs write one report per run there, last). */
export function qualityReportPrefix(job: string): string {
  return `${ZONES.qualityReports}${job}/`;
}

/** Where one run's quality report lands, relative to the lake root: `quality_reports/<job>/<run_id>.json`. */
export function qualityReportKey(job: string, runId: string): string {
  return `${qualityReportPrefix(job)}${runId}.json`;
}

/** `<prefix>-<env>`: the stem of every resource name in one environment. */
export function resourcePrefix(config: LakehouseConfig, environment: string): string {
  return `${config.project.prefix}-${environment}`;
}

/** Glue database names allow only lower case, digits and underscores. */
export function databaseName(config: LakehouseConfig, environment: string): string {
  return `${config.project.prefix}_${environment}_lake`.replace(/-/g, "_");
}

/** Looks a dataset up by name, failing loudly: a missing dataset is a programming error. */
export function datasetByName(config: LakehouseConfig, name: string): DatasetConfig {
  const found = config.datasets.find((d) => d.name === name);
  if (!found) throw new Error(`no dataset named "${name}" in the config (have: ${config.datasets.map((d) => d.name).join(", ")})`);
  return found;
}

/** The datasets that declare an incremental feed. */
export function incrementalDatasets(config: LakehouseConfig): DatasetConfig[] {
  return config.datasets.filter((d) => d.incremental !== undefined);
}
