import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { ColumnType } from "../../modules/config/columns";
import { curatedColumns, partitionColumns } from "../../modules/config/curated";
import { databaseName, ZONES } from "../../modules/config/naming";
import type { DatasetConfig, LakehouseConfig } from "../../modules/config/schema";
import { icebergMetadataLocations, loadIcebergExtensions, missingCatalogEntry, usesIceberg } from "./iceberg-catalog";

/** A query result: column names and rows of JSON-safe values (decimals and big integers as strings). */
export interface QueryResult {
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
}

/** DuckDB's name for each Glue column type. */
export function duckdbType(type: ColumnType): string {
  const scalar: Record<string, string> = {
    string: "VARCHAR",
    int: "INTEGER",
    bigint: "BIGINT",
    double: "DOUBLE",
    boolean: "BOOLEAN",
    date: "DATE",
    timestamp: "TIMESTAMP",
  };
  return scalar[type] ?? type.toUpperCase();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteText = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The local stand-in for the Glue catalog and Athena: an in-memory DuckDB with
 * one schema named like the Glue database and one view per curated table over
 * the lake's Parquet files (hive partitioning, partition keys typed as the
 * catalog types them). The search path is that schema, so the `sql/` files,
 * rendered for the config (`sqlQueriesFor` in `scripts/build/sql-queries.ts`:
 * unqualified table names in place of dataset references), run the same here
 * and in Athena. An Iceberg table's view reads its current snapshot, found in
 * the lake's local catalog (`iceberg-catalog.ts`). `query` takes plain SQL:
 * render a `sql/` file before.
 */
export class LakeQuery {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** The schema the views live in: the Glue database name of the environment. */
    readonly schema: string,
  ) {}

  static async open(config: LakehouseConfig, lakeDir: string, environment = config.environments[0].name): Promise<LakeQuery> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const schema = databaseName(config, environment);
    const lake = new LakeQuery(instance, connection, schema);
    await connection.run(`CREATE SCHEMA ${quoteIdent(schema)}`);
    // Iceberg stores timestamps with a zone (UTC); the views cast them to Glue's zoneless timestamp in UTC.
    await connection.run(`SET TimeZone = 'UTC'`);
    let metadata = new Map<string, string>();
    if (usesIceberg(config)) {
      await loadIcebergExtensions(connection);
      metadata = await icebergMetadataLocations(connection, lakeDir, schema);
    }
    for (const dataset of config.datasets) {
      const sql =
        dataset.format === "iceberg" ? icebergViewSql(schema, dataset, resolve(lakeDir), metadata.get(dataset.table)) : viewSql(schema, dataset, resolve(lakeDir));
      await connection.run(sql);
    }
    await connection.run(`SET search_path = ${quoteText(schema)}`);
    return lake;
  }

  /** Runs one or more statements; returns the result of the last. */
  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Record<string, unknown>[] };
  }

  /** `EXPLAIN ANALYZE` text of a query, for pruning and profiling checks. */
  async explainAnalyze(sql: string): Promise<string> {
    const reader = await this.connection.runAndReadAll(`EXPLAIN ANALYZE ${sql.replace(/;\s*$/, "")}`);
    return reader.getRows().map((row) => row.map(String).join("\n")).join("\n");
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** The typed select list of a table's view, and the empty view a table without data gets. */
function viewParts(schema: string, dataset: DatasetConfig) {
  const columns = [...curatedColumns(dataset), ...partitionColumns(dataset)];
  const name = `${quoteIdent(schema)}.${quoteIdent(dataset.table)}`;
  const select = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`).join(", ");
  const empty = columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`).join(", ");
  return { name, select, emptyView: `CREATE VIEW ${name} AS SELECT ${empty} WHERE false` };
}

/**
 * The view of an Iceberg table: typed columns over its current snapshot, the
 * metadata file the catalog points at, read from the table's folder in the lake
 * folder. `allow_moved_paths` lets DuckDB read a copy: after `local run --s3`
 * the folder holds the bucket's files, whose metadata names them by `s3://`.
 */
function icebergViewSql(schema: string, dataset: DatasetConfig, lakeDir: string, metadataLocation: string | undefined): string {
  const { name, select, emptyView } = viewParts(schema, dataset);
  if (!metadataLocation) {
    const problem = missingCatalogEntry(lakeDir, schema, dataset);
    if (problem) throw new Error(problem);
    return emptyView;
  }
  const version = metadataLocation.slice(metadataLocation.lastIndexOf("/") + 1).replace(/\.metadata\.json$/, "");
  const tableDir = join(lakeDir, ZONES.curated, dataset.table);
  const options = `allow_moved_paths = true, version = ${quoteText(version)}, version_name_format = '%s%s.metadata.json'`;
  return `CREATE VIEW ${name} AS SELECT ${select} FROM iceberg_scan(${quoteText(tableDir)}, ${options})`;
}

/** The view of one curated table: typed columns over its Parquet files, or an empty typed view when there are none yet. */
function viewSql(schema: string, dataset: DatasetConfig, lakeDir: string): string {
  const { name, select, emptyView } = viewParts(schema, dataset);
  const tableDir = join(lakeDir, ZONES.curated, dataset.table);
  if (!hasParquet(tableDir)) return emptyView;
  const partitions = partitionColumns(dataset);
  const hiveTypes = partitions.length
    ? `, hive_types = {${partitions.map((p) => `${quoteText(p.name)}: ${duckdbType(p.type)}`).join(", ")}}`
    : "";
  const glob = join(tableDir, "**", "*.parquet");
  return `CREATE VIEW ${name} AS SELECT ${select} FROM read_parquet(${quoteText(glob)}, hive_partitioning = ${partitions.length > 0}${hiveTypes})`;
}

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((entry) => {
    const path = join(dir, entry);
    return entry.endsWith(".parquet") || (statSync(path).isDirectory() && !entry.startsWith("_") && !entry.startsWith(".") && hasParquet(path));
  });
}
