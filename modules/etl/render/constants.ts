import {
  DECIMAL_TYPE_PATTERN,
  GLUE_SPARK_VERSIONS,
  ICEBERG_SPARK_CATALOG,
  CATALOG_DATABASE_ARGUMENT,
  LAKE_LAYOUT,
  SYSTEM_PREFIX_ARGUMENT,
  ZONES,
  JOB_KINDS,
  DATASET_METRICS,
  JOB_METRICS,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE_ARGUMENT,
  curatedColumns,
  lakeJobsOfKind,
  partitionColumns,
  type ColumnType,
  type DatasetConfig,
  type LakehouseConfig,
  type QualityRule,
} from "../../config";
import { assignment, call, dict, tuple, type PyCall, type PyValue } from "./python";

/**
 * The generated block of a job script: Python constants describing the
 * config's datasets. Everything a Spark job needs to know about a dataset
 * comes from here, and everything here comes from the config through the same
 * helpers the catalog uses (`curatedColumns`, `partitionColumns`), so the
 * catalog table and the Parquet Spark writes cannot disagree.
 *
 * Constants (Python names):
 * - `GLUE_VERSION`, `SPARK_VERSION`: the configured Glue version and its Spark.
 * - `ZONES`: the lake's zone prefixes from `modules/config/naming.ts`, keys in snake_case.
 * - `LAYOUT`: the lake paths several parts build (`LAKE_LAYOUT`), as `str.format` templates.
 * - `ICEBERG_CATALOG`: the Spark catalog Iceberg tables are addressed through (`ICEBERG_SPARK_CATALOG`).
 * - `CATALOG_DATABASE_ARGUMENT`: the job argument naming their Glue database (`CATALOG_DATABASE_ARGUMENT`).
 * - `SYSTEM_PREFIX_ARGUMENT`: the job argument and `LAYOUT` placeholder of the system-key prefix (`SYSTEM_PREFIX_ARGUMENT`).
 * - `METRICS`: the CloudWatch metrics a run publishes (`modules/config/metrics.ts`): the
 *   namespace's job argument, the dimension names, and by snake_case key each job and
 *   dataset metric's name and unit (a dataset metric also the report field it equals).
 * - `DATASETS`: one dict per dataset, in config order, see {@link datasetLiteral}.
 * - `JOBS`: by job kind, each job's id and the names of the datasets it processes
 *   (`lakeJobsOfKind`), the kind's first job first; a run is one of them (`--lake_job`).
 */
export function renderConstants(config: LakehouseConfig): string {
  const lines = [
    "# Rendered from the lakehouse config by modules/etl/render.ts; do not edit by hand.",
    assignment("GLUE_VERSION", config.glue.version),
    assignment("SPARK_VERSION", GLUE_SPARK_VERSIONS[config.glue.version]),
    assignment("ZONES", zonesLiteral()),
    assignment("LAYOUT", dict(Object.entries(LAKE_LAYOUT).map(([name, template]) => [snakeCase(name), template] as const))),
    assignment("ICEBERG_CATALOG", ICEBERG_SPARK_CATALOG),
    assignment("CATALOG_DATABASE_ARGUMENT", CATALOG_DATABASE_ARGUMENT),
    assignment("SYSTEM_PREFIX_ARGUMENT", SYSTEM_PREFIX_ARGUMENT),
    assignment("METRICS", metricsLiteral()),
    assignment("DATASETS", config.datasets.map(datasetLiteral)),
    assignment(
      "JOBS",
      dict(JOB_KINDS.map((kind) => [kind, dict(lakeJobsOfKind(kind, config.datasets, config.glue.datasetsPerJob).map((job) => [job.id, [...job.datasets]] as const))] as const)),
    ),
  ];
  return lines.join("\n");
}

function metricsLiteral(): PyValue {
  const metric = (m: { name: string; unit: string; from?: string }) =>
    dict([["name", m.name], ["unit", m.unit], ...(m.from ? [["from", m.from] as const] : [])]);
  return dict([
    ["namespace_argument", METRICS_NAMESPACE_ARGUMENT],
    ["dimensions", dict(Object.entries(METRIC_DIMENSIONS))],
    ["job", dict(Object.entries(JOB_METRICS).map(([key, m]) => [snakeCase(key), metric(m)] as const))],
    ["dataset", dict(Object.entries(DATASET_METRICS).map(([key, m]) => [snakeCase(key), metric(m)] as const))],
  ]);
}

function zonesLiteral(): PyValue {
  return dict(Object.entries(ZONES).map(([zone, prefix]) => [snakeCase(zone), prefix] as const));
}

/**
 * One dataset:
 * - `raw_columns`: raw column names in file order (the CSV header / JSON fields).
 * - `schema`: `StructType` of the curated, non-partition columns in write order (`curatedColumns`).
 * - `format`: the curated table's format, `parquet` or `iceberg`.
 * - `primary_key`, `derived_columns` (`(name, date_of)` pairs).
 * - `partitioning`: `None` or source column plus `(name, transform)` keys in path order (`partitionColumns`).
 * - `quality_rules`: the rules in config order (reason codes are listed in that order); keys in snake_case.
 * - `incremental`: `None` or the feed's folder under `raw/`, format and ordering column.
 */
export function datasetLiteral(dataset: DatasetConfig): PyValue {
  return dict([
    ["name", dataset.name],
    ["table", dataset.table],
    ["format", dataset.format],
    ["raw_columns", dataset.columns.map((c) => c.name)],
    ["schema", call("T.StructType", curatedColumns(dataset).map((c) => structField(c.name, c.type)))],
    ["primary_key", [...dataset.primaryKey]],
    ["partitioning", partitioningLiteral(dataset)],
    ["derived_columns", dataset.derivedColumns.map((d) => tuple(d.name, d.dateOf))],
    ["quality_rules", dataset.quality.map(ruleLiteral)],
    [
      "incremental",
      dataset.incremental
        ? dict([
            ["raw_folder", dataset.incremental.rawFolder],
            ["format", dataset.incremental.format],
            ["order_by_column", dataset.incremental.orderByColumn],
          ])
        : null,
    ],
  ]);
}

function partitioningLiteral(dataset: DatasetConfig): PyValue {
  if (!dataset.partitioning) return null;
  const columns = partitionColumns(dataset);
  const keys = dataset.partitioning.keys.map((key, i) => {
    const column = columns[i];
    // The Spark side writes partition values as integers; the catalog must say the same.
    if (column.name !== key.name || column.type !== "int") {
      throw new Error(`partition column ${column.name} of ${dataset.name} must be an int named ${key.name}`);
    }
    return tuple(column.name, key.transform);
  });
  return dict([
    ["source_column", dataset.partitioning.sourceColumn],
    ["keys", keys],
    // The years partition projection enumerates: the job quarantines rows outside them.
    ["years", tuple(dataset.partitioning.years.from, dataset.partitioning.years.to)],
  ]);
}

function ruleLiteral(rule: QualityRule): PyValue {
  switch (rule.rule) {
    case "not_null":
    case "positive":
      return dict([
        ["rule", rule.rule],
        ["columns", [...rule.columns]],
      ]);
    case "allowed_values":
      return dict([
        ["rule", rule.rule],
        ["column", rule.column],
        // a set: order carries no meaning, so sort for a stable diff
        ["values", [...rule.values].sort()],
      ]);
    case "pattern":
      return dict([
        ["rule", rule.rule],
        ["column", rule.column],
        ["regex", rule.regex],
      ]);
    case "foreign_key":
      return dict([
        ["rule", rule.rule],
        ["column", rule.column],
        ["references", rule.references],
      ]);
    case "not_in_future":
      return dict([
        ["rule", rule.rule],
        ["column", rule.column],
        ["tolerance_minutes", rule.toleranceMinutes],
      ]);
    case "product":
      return dict([
        ["rule", rule.rule],
        ["column", rule.column],
        ["factors", [...rule.factors]],
        ["tolerance", rule.tolerance],
      ]);
  }
}

const SCALAR_SPARK_TYPES: Record<string, string> = {
  string: "T.StringType",
  int: "T.IntegerType",
  bigint: "T.LongType",
  double: "T.DoubleType",
  boolean: "T.BooleanType",
  date: "T.DateType",
  timestamp: "T.TimestampType",
};

/** The pyspark type of a config column type. */
export function sparkType(type: ColumnType): PyCall {
  const decimal = DECIMAL_TYPE_PATTERN.exec(type);
  if (decimal) return call("T.DecimalType", Number(decimal[1]), Number(decimal[2]));
  const scalar = SCALAR_SPARK_TYPES[type];
  if (!scalar) throw new Error(`no Spark type for column type "${type}"`);
  return call(scalar);
}

function structField(name: string, type: ColumnType): PyCall {
  return call("T.StructField", name, sparkType(type), true);
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
