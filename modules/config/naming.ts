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

/**
 * Paths in the lake that several parts build: the constructs (grants, script
 * objects), the jobs (through the rendered `LAYOUT` constant, filled with
 * Python's `str.format`), the local runner and the ops CLI. Templates relative
 * to the lake root, `{name}` placeholders filled by {@link lakePath}.
 */
export const LAKE_LAYOUT = {
  /** The jobs' entry scripts and library. */
  scripts: `${ZONES.system}scripts/`,
  /** A job's scratch space (`--TempDir`). */
  temp: `${ZONES.system}tmp/{job}/`,
  /** An incremental dataset's manifests: one per run of the files it processed. */
  manifests: `${ZONES.system}manifests/{dataset}/`,
  /** One run's quarantined rows of a dataset. */
  quarantineRun: `${ZONES.quarantine}{dataset}/run_id={run_id}/`,
  /** A job's quality reports, one per run, written last. */
  qualityReports: `${ZONES.qualityReports}{job}/`,
  qualityReport: `${ZONES.qualityReports}{job}/{run_id}.json`,
} as const;
export type LakePath = keyof typeof LAKE_LAYOUT;

/** A {@link LAKE_LAYOUT} path with its placeholders filled: `lakePath("temp", { job: "batch" })` -> `_system/tmp/batch/`. */
export function lakePath(name: LakePath, values: Readonly<Record<string, string>> = {}): string {
  return LAKE_LAYOUT[name].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`lake path ${name} (${LAKE_LAYOUT[name]}) needs a value for {${key}}`);
    return value;
  });
}

/** The folder a job's quality reports land in: `quality_reports/<job>/` (the jobs write one report per run there, last). */
export function qualityReportPrefix(job: string): string {
  return lakePath("qualityReports", { job });
}

/** Where one run's quality report lands, relative to the lake root: `quality_reports/<job>/<run_id>.json`. */
export function qualityReportKey(job: string, runId: string): string {
  return lakePath("qualityReport", { job, run_id: runId });
}

/** The two Glue jobs every lake has: the one owner of the job kinds (ETL, ops CLI, local runner). */
export const JOB_KINDS = ["batch", "incremental"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * One Glue job of the lake: a kind's datasets are split into jobs of at most
 * `datasetsPerJob` each, in config order, so that each job's role stays within
 * IAM's quotas and a failure stops only its own datasets. The first job of a
 * kind is named for the kind (`batch`), the next ones `batch-2`, `batch-3`, ...:
 * a config that fits one job keeps the names (and the Terraform addresses) it
 * always had, and adding datasets at the end only adds jobs.
 *
 * The id names the job's resources (`<stem>-<id>`, its role `<stem>-<id>-job`)
 * and its lake paths (`quality_reports/<id>/`, `_system/tmp/<id>/`).
 */
export interface LakeJobSpec {
  readonly kind: JobKind;
  readonly id: string;
  /** Names of the datasets it processes, in config order. */
  readonly datasets: readonly string[];
}

/**
 * The lake's jobs of one kind: every dataset for `batch`, the datasets with an
 * incremental feed for `incremental`. A kind always has its first job, even
 * with no dataset to process (an incremental job with no feed has nothing to do).
 */
export function lakeJobsOfKind(kind: JobKind, datasets: readonly DatasetConfig[], datasetsPerJob: number): LakeJobSpec[] {
  if (!Number.isInteger(datasetsPerJob) || datasetsPerJob < 1) throw new Error(`datasetsPerJob must be a whole number of at least 1, got ${datasetsPerJob}`);
  const names = datasets.filter((d) => kind === "batch" || d.incremental !== undefined).map((d) => d.name);
  const count = Math.max(1, Math.ceil(names.length / datasetsPerJob));
  return Array.from({ length: count }, (_, i) => ({
    kind,
    id: i === 0 ? kind : `${kind}-${i + 1}`,
    datasets: names.slice(i * datasetsPerJob, (i + 1) * datasetsPerJob),
  }));
}

/** Every job of the lake, batch jobs first, each kind's in order. */
export function lakeJobs(config: Pick<LakehouseConfig, "datasets" | "glue">): LakeJobSpec[] {
  return JOB_KINDS.flatMap((kind) => lakeJobsOfKind(kind, config.datasets, config.glue.datasetsPerJob));
}

/**
 * Resource names below one stem (`<prefix>-<env>`, e.g. `shoplake-dev`): the
 * constructs name their resources with these, and the ops scripts find them
 * with the same functions.
 */
export const RESOURCE_NAMES = {
  lakeBucket: (stem: string, accountId: string) => `${stem}-lake-${accountId}`,
  /** A Glue job, by its {@link LakeJobSpec} id (`batch`, `batch-2`, `incremental`, ...). */
  job: (stem: string, jobId: string) => `${stem}-${jobId}`,
  /** A job's role: the job name and `-job`. */
  jobRole: (stem: string, jobId: string) => `${stem}-${jobId}-job`,
  incrementalTrigger: (stem: string) => `${stem}-incremental-schedule`,
  glueSecurityConfiguration: (stem: string) => `${stem}-glue`,
  /** A crawler, and its role: `<stem>-<kind>-crawler`. */
  crawler: (stem: string, kind: "raw" | "curated") => `${stem}-${kind}-crawler`,
  /** The role the Glue table optimizers of the Iceberg tables run as. */
  tableOptimizerRole: (stem: string) => `${stem}-table-optimizer`,
  workgroup: (stem: string) => `${stem}-analytics`,
  generatorFunction: (stem: string) => `${stem}-order-generator`,
  /** The monthly budget: `-monthly` counts the environment's tagged costs, `-monthly-account` the account's. */
  budget: (stem: string, scope: "environment" | "account") => `${stem}-monthly${scope === "account" ? "-account" : ""}`,
} as const;

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
