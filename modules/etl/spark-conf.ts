import { ICEBERG_SPARK_CATALOG } from "../config/iceberg";

export interface GlueSparkConfOptions {
  /**
   * Register the Iceberg catalog `glue_catalog` (Iceberg's GlueCatalog, S3FileIO)
   * with this warehouse, e.g. `s3://<bucket>/curated/`. The tables carry their
   * own locations; the warehouse is only where a table created without one would go.
   * @default - no Iceberg catalog
   */
  readonly icebergWarehouse?: string;
}

/**
 * The value of a lake job's one `--conf` default argument. Glue takes a single
 * `--conf` key, so further settings are chained inside its value as
 * `a=b --conf c=d` (AWS Glue, "Using the Iceberg framework in AWS Glue"). The
 * session time zone comes first and is the whole value without Iceberg, so
 * every timestamp the jobs derive (partition values, `date_of` columns) is UTC.
 * Iceberg's classes themselves come from `--datalake-formats iceberg`.
 */
export function glueSparkConf(options: GlueSparkConfOptions = {}): string {
  const settings: [string, string][] = [["spark.sql.session.timeZone", "UTC"]];
  if (options.icebergWarehouse !== undefined) {
    const catalog = `spark.sql.catalog.${ICEBERG_SPARK_CATALOG}`;
    settings.push(
      ["spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"],
      [catalog, "org.apache.iceberg.spark.SparkCatalog"],
      [`${catalog}.warehouse`, options.icebergWarehouse],
      [`${catalog}.catalog-impl`, "org.apache.iceberg.aws.glue.GlueCatalog"],
      [`${catalog}.io-impl`, "org.apache.iceberg.aws.s3.S3FileIO"],
    );
  }
  return settings.map(([key, value]) => `${key}=${value}`).join(" --conf ");
}
