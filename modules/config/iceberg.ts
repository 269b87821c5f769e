import type { DatasetConfig, LakehouseConfig } from "./schema";

/**
 * The Spark catalog the jobs address Iceberg tables through
 * (`glue_catalog.<database>.<table>`). On Glue it is Iceberg's `GlueCatalog`,
 * configured in the job's `--conf`; locally a JDBC catalog on SQLite kept in the
 * lake folder takes the same name, so the job code is the same in both.
 */
export const ICEBERG_SPARK_CATALOG = "glue_catalog";

/**
 * The job argument naming the Glue database the Iceberg tables live in
 * (`--catalog_database`): it differs per environment, the rendered scripts do not.
 */
export const CATALOG_DATABASE_ARGUMENT = "catalog_database";

/** Iceberg format version of the curated tables: v2 (row-level deletes, what Athena writes). */
export const ICEBERG_FORMAT_VERSION = "2";

/** The datasets whose curated table is an Iceberg table. */
export function icebergDatasets(config: Pick<LakehouseConfig, "datasets">): DatasetConfig[] {
  return config.datasets.filter((d) => d.format === "iceberg");
}
