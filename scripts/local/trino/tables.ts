/**
 * Trino DDL for the curated tables, generated from the config: the same
 * columns, order and types as the Glue catalog table (both come from
 * `curatedColumns` and `partitionColumns`), Parquet over the lake's
 * `curated/<table>/` folder, partition keys last, then the partition folders
 * registered as the Spark writer laid them out (`year=2026/month=3/day=7`).
 */
import type { ColumnType } from "../../../modules/config/columns";
import { DECIMAL_TYPE_PATTERN } from "../../../modules/config/columns";
import { curatedColumns, partitionColumns, type CuratedColumn } from "../../../modules/config/curated";
import { ZONES } from "../../../modules/config/naming";
import type { DatasetConfig } from "../../../modules/config/schema";

/**
 * Trino's name for each Glue column type. `timestamp` is `timestamp(3)`: the
 * precision Athena gives Glue timestamps and the Hive connector's
 * `hive.timestamp-precision=MILLISECONDS`, which it requires the DDL to match;
 * Spark's INT96 and TIMESTAMP_MICROS values are read as UTC (see `hiveCatalog`).
 */
export function trinoType(type: ColumnType): string {
  const scalar: Record<string, string> = {
    string: "varchar",
    int: "integer",
    bigint: "bigint",
    double: "double",
    boolean: "boolean",
    date: "date",
    timestamp: "timestamp(3)",
  };
  if (scalar[type]) return scalar[type];
  const decimal = DECIMAL_TYPE_PATTERN.exec(type);
  if (decimal) return `decimal(${Number(decimal[1])},${Number(decimal[2])})`;
  throw new Error(`no Trino type for the Glue column type "${type}"`);
}

/** A table's columns in catalog order: curated columns, then partition keys (Trino requires them last). */
export function trinoColumns(dataset: DatasetConfig): { name: string; type: string; partitionKey: boolean }[] {
  const typed = (partitionKey: boolean) => (c: CuratedColumn) => ({ name: c.name, type: trinoType(c.type), partitionKey });
  return [...curatedColumns(dataset).map(typed(false)), ...partitionColumns(dataset).map(typed(true))];
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteText = (text: string) => `'${text.replace(/'/g, "''")}'`;

export interface CuratedTableDdlOptions {
  /** Trino catalog the table lives in. */
  readonly catalog: string;
  /** Schema, named like the Glue database (`databaseName(config, env)`). */
  readonly schema: string;
  readonly dataset: DatasetConfig;
  /**
   * The table's data: `local:///<lake>/curated/<table>/` for the files Spark
   * wrote, or `undefined` for an empty table (no curated files yet), which
   * Trino keeps in its own warehouse instead of creating folders in the lake.
   */
  readonly location: string | undefined;
}

/**
 * Statements that (re)create one curated table over the lake: drop a previous
 * definition (an external table: the files stay), `CREATE TABLE ... WITH
 * (external_location, format = 'PARQUET', partitioned_by)`, and for a
 * partitioned table `system.sync_partition_metadata(..., 'FULL')`.
 */
export function curatedTableDdl(options: CuratedTableDdlOptions): string[] {
  const { catalog, schema, dataset, location } = options;
  const name = `${quoteIdent(catalog)}.${quoteIdent(schema)}.${quoteIdent(dataset.table)}`;
  const columns = trinoColumns(dataset);
  const partitionKeys = columns.filter((c) => c.partitionKey).map((c) => c.name);
  const properties = [
    ...(location ? [`external_location = ${quoteText(location)}`] : []),
    `format = 'PARQUET'`,
    ...(partitionKeys.length ? [`partitioned_by = ARRAY[${partitionKeys.map(quoteText).join(", ")}]`] : []),
  ];
  const statements = [
    `DROP TABLE IF EXISTS ${name}`,
    `CREATE TABLE ${name} (\n  ${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(",\n  ")}\n)\nWITH (\n  ${properties.join(",\n  ")}\n)`,
  ];
  if (location && partitionKeys.length) {
    statements.push(`CALL ${quoteIdent(catalog)}.system.sync_partition_metadata(${quoteText(schema)}, ${quoteText(dataset.table)}, 'FULL')`);
  }
  return statements;
}

/** The lake-relative folder of a dataset's curated files: `curated/<table>/`. */
export function curatedFolder(dataset: DatasetConfig): string {
  return `${ZONES.curated}${dataset.table}/`;
}

export interface IcebergTableOptions {
  /** The catalog the `sql/` files query (the view lives there). */
  readonly catalog: string;
  /** The Iceberg catalog the table is registered in. */
  readonly icebergCatalog: string;
  readonly schema: string;
  readonly dataset: DatasetConfig;
  /** The table's current metadata file (`file:/.../curated/<table>/metadata/00003-<uuid>.metadata.json`). */
  readonly metadataLocation: string;
}

/**
 * Statements that show an Iceberg table to the `sql/` files: register its
 * current metadata file (`system.register_table`), then a view in the lake
 * catalog with the Glue column types (Iceberg's `timestamp with time zone`
 * cast to `timestamp(3)` in UTC, as the Parquet tables read).
 */
export function icebergTableStatements(options: IcebergTableOptions): string[] {
  const { catalog, icebergCatalog, schema, dataset, metadataLocation } = options;
  if (!metadataLocation.startsWith("file:")) {
    throw new Error(
      `${dataset.table} is an Iceberg table written to ${metadataLocation.split("/metadata/")[0]}: Trino reads the Iceberg tables of a folder lake only; query this lake with DuckDB`,
    );
  }
  const slash = metadataLocation.lastIndexOf("/metadata/");
  if (slash < 0) throw new Error(`${dataset.table}: ${metadataLocation} is not a file in a table's metadata/ folder`);
  const tableLocation = metadataLocation.slice(0, slash);
  const metadataFile = metadataLocation.slice(slash + "/metadata/".length);
  const source = `${quoteIdent(icebergCatalog)}.${quoteIdent(schema)}.${quoteIdent(dataset.table)}`;
  const select = trinoColumns(dataset).map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`);
  return [
    `CALL ${quoteIdent(icebergCatalog)}.system.register_table(${[schema, dataset.table, tableLocation, metadataFile].map(quoteText).join(", ")})`,
    `CREATE OR REPLACE VIEW ${quoteIdent(catalog)}.${quoteIdent(schema)}.${quoteIdent(dataset.table)} AS SELECT ${select.join(", ")} FROM ${source}`,
  ];
}
