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
 * The system-key prefix: the lake's own keys (scripts, scratch, manifests,
 * quality reports) are namespaced by it when the bucket is shared with other
 * estates (`storage.systemPrefix`), while the data zones stay where the tables
 * are; empty for a bucket of its own. This is both its placeholder in
 * {@link LAKE_LAYOUT} and the job argument that carries it (`--system_prefix`,
 * left out when empty).
 */
export const SYSTEM_PREFIX_ARGUMENT = "system_prefix";

/**
 * Paths in the lake that several parts build: the constructs (grants, script
 * objects), the jobs (through the rendered `LAYOUT` constant, filled with
 * Python's `str.format`), the local runner and the ops CLI. Templates relative
 * to the lake root, `{name}` placeholders filled by {@link lakePath}; the
 * system keys start with `{system_prefix}` (see {@link SYSTEM_PREFIX_ARGUMENT}).
 */
export const LAKE_LAYOUT = {
  /** The jobs' entry scripts and library. */
  scripts: `{system_prefix}${ZONES.system}scripts/`,
  /** A job's scratch space (`--TempDir`). */
  temp: `{system_prefix}${ZONES.system}tmp/{job}/`,
  /** An incremental dataset's manifests: one per run of the files it processed. */
  manifests: `{system_prefix}${ZONES.system}manifests/{dataset}/`,
  /** One run's quarantined rows of a dataset. */
  quarantineRun: `${ZONES.quarantine}{dataset}/run_id={run_id}/`,
  /** A job's quality reports, one per run, written last. */
  qualityReports: `{system_prefix}${ZONES.qualityReports}{job}/`,
  qualityReport: `{system_prefix}${ZONES.qualityReports}{job}/{run_id}.json`,
} as const;
export type LakePath = keyof typeof LAKE_LAYOUT;

/**
 * A {@link LAKE_LAYOUT} path with its placeholders filled:
 * `lakePath("temp", { system_prefix: "", job: "batch" })` -> `_system/tmp/batch/`.
 * Every placeholder needs a value, the system prefix too (`""` for none): a
 * caller cannot forget the namespace of a shared bucket.
 */
export function lakePath(name: LakePath, values: Readonly<Record<string, string>> = {}): string {
  return LAKE_LAYOUT[name].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`lake path ${name} (${LAKE_LAYOUT[name]}) needs a value for {${key}}`);
    return value;
  });
}

/** The folder every job's quality reports land below: `<system prefix>quality_reports/`. */
export function qualityReportsRoot(systemPrefix: string): string {
  return `${systemPrefix}${ZONES.qualityReports}`;
}

/** The folder a job's quality reports land in: `<system prefix>quality_reports/<job>/` (the jobs write one report per run there, last). */
export function qualityReportPrefix(systemPrefix: string, job: string): string {
  return lakePath("qualityReports", { system_prefix: systemPrefix, job });
}

/** Where one run's quality report lands, relative to the lake root: `<system prefix>quality_reports/<job>/<run_id>.json`. */
export function qualityReportKey(systemPrefix: string, job: string, runId: string): string {
  return lakePath("qualityReport", { system_prefix: systemPrefix, job, run_id: runId });
}

/** The first folders of the lake's zones (`raw`, `curated`, `_system`, ...): a system prefix may not start with one. */
const ZONE_FOLDERS = Object.values(ZONES).map((zone) => zone.replace(/\/$/, ""));

/** Longest system prefix: it is in every system grant's ARNs, so it counts against IAM's policy quotas. */
export const SYSTEM_PREFIX_MAX_LENGTH = 64;

/**
 * Why a system prefix is not one, or undefined when it is: an S3 key prefix of
 * folders (`teams/shop/`), each of letters, digits, `.`, `_` and `-` starting
 * with a letter or digit, ending with `/`, at most {@link SYSTEM_PREFIX_MAX_LENGTH}
 * characters, and not inside a zone (a crawler or a reader of that zone would see
 * the system keys). `*`, `?`, `$` and braces are refused: they mean something in
 * IAM ARNs, policy variables or the path templates. `""` is the bucket's root.
 */
export function systemPrefixProblem(prefix: string): string | undefined {
  if (prefix === "") return undefined;
  if (prefix.length > SYSTEM_PREFIX_MAX_LENGTH) return `must be at most ${SYSTEM_PREFIX_MAX_LENGTH} characters (it is in every system grant), got ${prefix.length}`;
  if (!/^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)+$/.test(prefix)) {
    return 'must be an S3 key prefix of folders ending with "/", such as "teams/shop/": each folder letters, digits, ".", "_" or "-", starting with a letter or digit';
  }
  const first = prefix.slice(0, prefix.indexOf("/"));
  if (ZONE_FOLDERS.includes(first)) return `must not start inside a zone of the lake (${ZONE_FOLDERS.join(", ")}), got "${first}/"`;
  return undefined;
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
  /** The pipeline's CloudWatch dashboard. */
  dashboard: (stem: string) => `${stem}-pipeline`,
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
