import type { GlueCatalogTableConfig } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { DatasetConfig } from "../config/schema";
import { ICEBERG_FORMAT_VERSION } from "../config/iceberg";
import { partitionProjection, tableColumns } from "./table-schema";

/** What a curated table's catalog entry declares beyond its name and database. */
export type CuratedTableDeclaration = Omit<GlueCatalogTableConfig, "name" | "databaseName">;

/**
 * A Parquet table: Hive-style partition keys and Athena partition projection
 * where the dataset is partitioned, so no crawler or MSCK REPAIR is needed.
 */
export function parquetTableDeclaration(dataset: DatasetConfig, location: string, projectionYearRange: [number, number]): CuratedTableDeclaration {
  const { columns, partitionKeys } = tableColumns(dataset);
  return {
    description: dataset.description,
    tableType: "EXTERNAL_TABLE",
    parameters: {
      EXTERNAL: "TRUE",
      classification: "parquet",
      "parquet.compression": "SNAPPY",
      ...partitionProjection(dataset, location, projectionYearRange),
    },
    partitionKeys: partitionKeys.length > 0 ? partitionKeys : undefined,
    storageDescriptor: {
      location,
      inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
      outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
      serDeInfo: {
        name: "parquet",
        serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        parameters: { "serialization.format": "1" },
      },
      columns,
    },
  };
}

/**
 * The attributes of an Iceberg table's catalog entry that Iceberg rewrites,
 * so Terraform sets them once, at create, and never again:
 *
 * - `parameters`: every commit moves `metadata_location` and writes
 *   `previous_metadata_location` (Iceberg's `GlueTableOperations`). The
 *   provider hides `metadata_location` and `table_type` from the plan, not
 *   `previous_metadata_location`.
 * - `storage_descriptor`: every commit replaces it with the location and the
 *   columns of the current Iceberg schema (each with `iceberg.field.*`
 *   parameters), the partition fields included.
 * - `description`: a commit's TableInput carries Iceberg's `comment` table
 *   property as the description, or none, depending on the Iceberg version.
 *
 * Without this every plan after a job run would show a change, and applying
 * it would be worse than noise: the provider's UpdateTable does not check the
 * entry's version, so a job committing between its read and its write would
 * have its commit undone. The schema of an Iceberg table therefore evolves in
 * the job (ALTER TABLE), not here. `open_table_format_input` is not listed: it
 * is sent only by CreateTable and never read back, so it cannot drift, and
 * adding or removing it must still replace the table (switching the format).
 */
const ICEBERG_MANAGED_ATTRIBUTES = ["parameters", "storage_descriptor", "description"];

/**
 * An Iceberg table (format v2), created by Glue's CreateTable with
 * `OpenTableFormatInput`: Glue writes the first metadata file in the table's
 * folder from the declared columns. Terraform creates it (instead of the
 * job's first run) so the table optimizers, which need an existing table,
 * are declared beside it.
 *
 * The partition columns are ordinary columns of the schema: Glue refuses
 * partition keys on an Iceberg table ("Cannot create partitions in an iceberg
 * table", hashicorp/terraform-provider-aws#36531), and the job adds them as
 * identity fields of the partition spec on its first write. No partition
 * projection either: Athena plans an Iceberg table from its metadata.
 */
export function icebergTableDeclaration(dataset: DatasetConfig, location: string): CuratedTableDeclaration {
  const { columns, partitionKeys } = tableColumns(dataset);
  return {
    description: dataset.description,
    tableType: "EXTERNAL_TABLE",
    openTableFormatInput: { icebergInput: { metadataOperation: "CREATE", version: ICEBERG_FORMAT_VERSION } },
    storageDescriptor: { location, columns: [...columns, ...partitionKeys] },
    lifecycle: { ignoreChanges: ICEBERG_MANAGED_ATTRIBUTES },
  };
}
