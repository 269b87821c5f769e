/**
 * What a local stand-in for Athena offers, whichever engine runs it: DuckDB
 * ({@link LakeQuery}) or a Trino server ({@link TrinoLakeQuery}, the engine
 * Athena engine v3 is built on). Both expose the curated tables under their
 * Glue names in a schema named like the Glue database, so the same `sql/`
 * file, rendered for the config (`sqlQueriesFor`, `renderSql`), runs unchanged
 * on either, and both return rows in the same JSON-safe shape (decimals and
 * big integers as exact strings). Engines take plain SQL: dataset references
 * (`{{ dataset('orders') }}`) are rendered before, not by the engine.
 *
 * ```ts
 * const [daily] = sqlQueriesFor(config).filter((q) => q.name === "daily_revenue");
 * for (const engine of Object.values(LAKE_ENGINES)) {
 *   const lake = await engine.open(config, ".lake");
 *   try { console.log((await lake.query(daily.sql)).rows); } finally { await lake.close(); }
 * }
 * ```
 */
import type { LakehouseConfig } from "../../modules/config/schema";
import { LakeQuery, type QueryResult } from "./lake-query";
import { TrinoLakeQuery } from "./trino/trino-lake-query";

export type { QueryResult };

/** An open lake: SQL in, `{ columns, rows }` out. */
export interface LakeEngine {
  /** The schema unqualified table names resolve in: the Glue database name of the environment. */
  readonly schema: string;
  /** Runs a statement (plain SQL, dataset references already rendered) and returns its result. */
  query(sql: string): Promise<QueryResult>;
  /** Releases the engine (closes DuckDB, stops a Trino server). */
  close(): void | Promise<void>;
}

/** How an engine is opened over a local lake folder; the static side of {@link LakeEngine} classes. */
export interface LakeEngineFactory {
  open(config: LakehouseConfig, lakeDir: string, environment?: string): Promise<LakeEngine>;
}

/**
 * The engines, checked at compile time to have the shape above (DuckDB's
 * `LakeQuery` is checked here rather than with `implements`, so its file stays as it is).
 */
export const LAKE_ENGINES = { duckdb: LakeQuery, trino: TrinoLakeQuery } satisfies Record<string, LakeEngineFactory>;
