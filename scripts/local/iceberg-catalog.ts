/**
 * The local Iceberg catalog of a lake folder, as the local engines read it.
 *
 * The local jobs keep `glue_catalog` in a SQLite file inside the lake
 * (`glue_local/iceberg_local.py`: Iceberg's JDBC catalog), one row per table
 * with the location of its current metadata file, as the Glue catalog keeps
 * `metadata_location` on AWS. DuckDB reads that row through its SQLite
 * extension and the table through its Iceberg extension; Trino registers the
 * same metadata file. The extensions are PyPI wheels in the project's `.venv`
 * (requirements.txt), at the version of the DuckDB in package.json, loaded
 * from their files: DuckDB never downloads anything at run time.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { CATALOG_DATABASE_ARGUMENT, icebergDatasets, ICEBERG_SPARK_CATALOG } from "../../modules/config/iceberg";
import { databaseName } from "../../modules/config/naming";
import { ZONES } from "../../modules/config/naming";
import type { DatasetConfig, LakehouseConfig } from "../../modules/config/schema";
import { localPython } from "./python";

/** Where a lake folder keeps its Iceberg catalog (`CATALOG_FILE` in `glue_local/iceberg_local.py`). */
export const LOCAL_ICEBERG_CATALOG = "_system/iceberg/catalog.sqlite";

/** DuckDB extensions for Iceberg tables, in load order (the Iceberg reader needs Avro loaded first). */
const EXTENSIONS = ["avro", "sqlite_scanner", "iceberg"] as const;

/** Whether a config has Iceberg tables: only then do local runs load Iceberg (its jars, catalog, DuckDB extensions). */
export function usesIceberg(config: Pick<LakehouseConfig, "datasets">): boolean {
  return icebergDatasets(config).length > 0;
}

/** The job arguments a config's Iceberg tables need (`--catalog_database <db>`), as Terraform sets them; none without one. */
export function icebergJobArguments(config: LakehouseConfig, environment: string): string[] {
  return icebergDatasets(config).length ? [`--${CATALOG_DATABASE_ARGUMENT}`, databaseName(config, environment)] : [];
}

/** The file of one DuckDB extension in the venv's site-packages, for the running DuckDB's version (`v1.5.5`). */
export function duckdbExtensionFile(name: string, duckdbVersion: string, python = localPython(undefined, "DuckDB's Iceberg extension")): string {
  const lib = join(dirname(dirname(resolve(python))), "lib");
  const sitePackages = existsSync(lib)
    ? readdirSync(lib)
        .filter((d) => d.startsWith("python"))
        .map((d) => join(lib, d, "site-packages"))
    : [];
  for (const dir of sitePackages) {
    const file = join(dir, `duckdb_extension_${name}`, "extensions", duckdbVersion, `${name}.duckdb_extension`);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `DuckDB ${duckdbVersion}'s ${name} extension is not installed beside ${python} (the PyPI wheel duckdb-extension-${name.replace(/_/g, "-")}); ` +
      `run "bash scripts/setup-python.sh"`,
  );
}

/** Loads the Iceberg, Avro and SQLite extensions into a DuckDB connection, from their files. */
export async function loadIcebergExtensions(connection: DuckDBConnection): Promise<void> {
  const version = String((await connection.runAndReadAll("SELECT version() AS v")).getRowObjectsJson()[0].v);
  for (const name of EXTENSIONS) await connection.run(`LOAD '${duckdbExtensionFile(name, version).replace(/'/g, "''")}'`);
}

/**
 * The current metadata file of each Iceberg table of `database` in a lake
 * folder's catalog (`table -> file:/.../metadata/00003-<uuid>.metadata.json`);
 * empty when the lake has no catalog yet. Reads the catalog read-only, with the
 * connection's extensions already loaded ({@link loadIcebergExtensions}).
 */
export async function icebergMetadataLocations(connection: DuckDBConnection, lakeDir: string, database: string): Promise<Map<string, string>> {
  const file = join(resolve(lakeDir), LOCAL_ICEBERG_CATALOG);
  const found = new Map<string, string>();
  if (!existsSync(file)) return found;
  const alias = "lakehouse_iceberg_catalog";
  await connection.run(`ATTACH '${file.replace(/'/g, "''")}' AS ${alias} (TYPE sqlite, READ_ONLY)`);
  try {
    const reader = await connection.runAndReadAll(
      `SELECT table_name, metadata_location FROM ${alias}.iceberg_tables WHERE catalog_name = $catalog AND table_namespace = $database`,
      { catalog: ICEBERG_SPARK_CATALOG, database },
    );
    for (const row of reader.getRowObjectsJson()) found.set(String(row.table_name), String(row.metadata_location));
  } finally {
    await connection.run(`DETACH ${alias}`);
  }
  return found;
}

/** {@link icebergMetadataLocations} in a DuckDB of its own, for engines that are not DuckDB (Trino). */
export async function readIcebergMetadataLocations(lakeDir: string, database: string): Promise<Map<string, string>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await loadIcebergExtensions(connection);
    return await icebergMetadataLocations(connection, lakeDir, database);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Why a table with no catalog entry cannot be read as empty: its folder holds
 * Iceberg metadata, so the catalog lost it (another environment's database, a
 * deleted catalog file). `undefined` when the table was simply never written.
 */
export function missingCatalogEntry(lakeDir: string, database: string, dataset: DatasetConfig): string | undefined {
  const metadataDir = join(resolve(lakeDir), ZONES.curated, dataset.table, "metadata");
  if (!existsSync(metadataDir)) return undefined;
  return (
    `${dataset.table} has Iceberg metadata in ${metadataDir} but no entry for ${ICEBERG_SPARK_CATALOG}.${database}.${dataset.table} ` +
    `in ${join(resolve(lakeDir), LOCAL_ICEBERG_CATALOG)}: query the environment whose jobs wrote it, or rebuild the table`
  );
}
