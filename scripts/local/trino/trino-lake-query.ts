/**
 * The local lake on a real Trino server, the engine Athena engine v3 is built
 * on: the same shape as DuckDB's {@link LakeQuery} (`open`, `query`, `close`),
 * so either can run the `sql/` files rendered for the config (`sqlQueriesFor`
 * in `scripts/build/sql-queries.ts`). `open` starts one server, registers the
 * curated tables from the config in a schema named like the Glue database and
 * makes it the session's default schema, as an Athena named query's database is.
 *
 * The lake folder is only read: Trino's catalog root is a temp folder holding
 * its file metastore, a warehouse for tables that have no curated files yet,
 * and a `lake` link to the lake folder; table locations are
 * `local:///lake/curated/<table>/`. An Iceberg table is registered over the
 * metadata file the lake's local catalog points at, in an Iceberg catalog of
 * its own, and shown in the lake catalog through a view with the Glue types.
 *
 * ```ts
 * const lake = await TrinoLakeQuery.open(config, ".lake");  // about 10-20 s: a JVM starts
 * try { console.log((await lake.query(sql)).rows); } finally { await lake.close(); }
 * ```
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { databaseName } from "../../../modules/config/naming";
import type { LakehouseConfig } from "../../../modules/config/schema";
import type { LakeEngine, QueryResult } from "../lake-engine";
import { TrinoClient, type TrinoResult } from "./client";
import type { TrinoInstall } from "./install";
import { icebergDatasets } from "../../../modules/config/iceberg";
import { missingCatalogEntry, readIcebergMetadataLocations } from "../iceberg-catalog";
import { hiveCatalog, icebergCatalog, startTrinoServer, type TrinoServer } from "./server";
import { curatedFolder, curatedTableDdl, icebergTableStatements, quoteIdent, quoteText } from "./tables";

/** The catalog the tables live in: Athena's default catalog name, lower case as Trino spells catalogs. */
export const TRINO_LAKE_CATALOG = "awsdatacatalog";
/** The catalog Iceberg tables are registered in; the lake catalog shows them through views of the same name. */
export const TRINO_ICEBERG_CATALOG = "lakehouse_iceberg";
/** Name of the link to the lake folder inside the catalog root. */
const LAKE_LINK = "lake";

export interface TrinoLakeQueryOptions {
  /** @default - `requireTrinoInstall()` */
  readonly install?: TrinoInstall;
  /** JVM heap. @default "2G" */
  readonly maxHeap?: string;
}

export class TrinoLakeQuery implements LakeEngine {
  private constructor(
    /** The running server; `server.startupMs` is its start-up time. */
    readonly server: TrinoServer,
    private readonly client: TrinoClient,
    /** The schema the tables live in: the Glue database name of the environment. */
    readonly schema: string,
    private readonly catalogRoot: string,
  ) {}

  /** Starts a server over `lakeDir` and registers every curated table of the config; fails with the setup command when Trino is not installed. */
  static async open(
    config: LakehouseConfig,
    lakeDir: string,
    environment = config.environments[0].name,
    options: TrinoLakeQueryOptions = {},
  ): Promise<TrinoLakeQuery> {
    const lake = resolve(lakeDir);
    const catalogRoot = mkdtempSync(join(tmpdir(), "lakehouse-trino-catalog-"));
    symlinkSync(lake, join(catalogRoot, LAKE_LINK), "dir");
    const schema = databaseName(config, environment);
    let server: TrinoServer | undefined;
    try {
      const iceberg = icebergDatasets(config);
      const catalogs = [hiveCatalog(TRINO_LAKE_CATALOG, catalogRoot)];
      if (iceberg.length) catalogs.push(icebergCatalog(TRINO_ICEBERG_CATALOG, join(catalogRoot, "iceberg-metastore")));
      server = await startTrinoServer({ catalogs, install: options.install, maxHeap: options.maxHeap });
      const client = new TrinoClient({ endpoint: server.endpoint, catalog: TRINO_LAKE_CATALOG, schema });
      const opened = new TrinoLakeQuery(server, client, schema, catalogRoot);
      await client.query(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(TRINO_LAKE_CATALOG)}.${quoteIdent(schema)} WITH (location = ${quoteText(`local:///warehouse/${schema}`)})`,
      );
      const metadata = iceberg.length ? await readIcebergMetadataLocations(lake, schema) : new Map<string, string>();
      if (iceberg.length) {
        await client.query(
          `CREATE SCHEMA ${quoteIdent(TRINO_ICEBERG_CATALOG)}.${quoteIdent(schema)} WITH (location = ${quoteText(`local://${join(catalogRoot, "iceberg-warehouse", schema)}`)})`,
        );
      }
      for (const dataset of config.datasets) {
        const metadataLocation = metadata.get(dataset.table);
        if (dataset.format === "iceberg" && metadataLocation) {
          const statements = icebergTableStatements({ catalog: TRINO_LAKE_CATALOG, icebergCatalog: TRINO_ICEBERG_CATALOG, schema, dataset, metadataLocation });
          for (const statement of statements) await client.query(statement);
          continue;
        }
        const problem = dataset.format === "iceberg" ? missingCatalogEntry(lake, schema, dataset) : undefined;
        if (problem) throw new Error(problem);
        const folder = curatedFolder(dataset);
        const location = existsSync(join(lake, folder)) ? `local:///${LAKE_LINK}/${folder}` : undefined;
        for (const statement of curatedTableDdl({ catalog: TRINO_LAKE_CATALOG, schema, dataset, location })) await client.query(statement);
      }
      return opened;
    } catch (error) {
      await server?.stop();
      removeCatalogRoot(catalogRoot);
      throw error;
    }
  }

  /** Runs one statement; rows as DuckDB's JSON rows are: decimals and bigints as exact strings, dates as `YYYY-MM-DD`. */
  async query(sql: string): Promise<QueryResult> {
    const result = await this.queryTyped(sql);
    const names = result.columns.map((c) => c.name);
    const convert = result.columns.map((c) => jsonValue(c.type));
    return {
      columns: names,
      rows: result.rows.map((row) => Object.fromEntries(row.map((value, i) => [names[i], convert[i](value, names[i])]))),
    };
  }

  /** Runs one statement and returns Trino's own column types (`decimal(38,2)`, `timestamp(3)`) and values. */
  queryTyped(sql: string): Promise<TrinoResult> {
    return this.client.query(sql);
  }

  /** Stops the server and removes the catalog root (the link to the lake, never the lake). */
  async close(): Promise<void> {
    await this.server.stop();
    removeCatalogRoot(this.catalogRoot);
  }
}

/** Converts one Trino JSON value of a type to the shape DuckDB's JSON rows use. */
function jsonValue(type: string): (value: unknown, column: string) => unknown {
  if (type !== "bigint") return (value) => value;
  return (value, column) => {
    if (value === null || typeof value === "string") return value;
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new Error(`bigint column ${column}: ${value} is beyond 2^53 and lost precision in Trino's JSON`);
    }
    return String(value);
  };
}

function removeCatalogRoot(root: string): void {
  // Unlink the lake link first, so that nothing below can ever walk into the lake itself.
  const link = join(root, LAKE_LINK);
  try {
    unlinkSync(link);
  } catch {
    // already gone
  }
  rmSync(root, { recursive: true, force: true });
}
