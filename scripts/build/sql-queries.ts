/**
 * The repository's `sql/` files, read from disk: the one place the analytics
 * SQL is read. `modules/` stays free of file access and only renders
 * (`modules/analytics/sql-queries.ts`); synth, the Terraform modules and the
 * local run read here and render for their config.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { renderSqlQueries, sqlDescription, type SqlQuery } from "../../modules/analytics/sql-queries";
import type { LakehouseConfig } from "../../modules/config/schema";

/** The repository's own `sql/` folder. */
export const DEFAULT_SQL_DIR = join(__dirname, "..", "..", "sql");

/**
 * Every `*.sql` file of a folder as written, dataset references unrendered,
 * sorted by name so synth output is stable.
 */
export function readSqlQueries(dir: string = DEFAULT_SQL_DIR): SqlQuery[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), "utf8");
      return { name: basename(file, ".sql"), description: sqlDescription(sql), sql };
    });
}

/** The folder's queries rendered for a config: what Athena's named queries hold and what the local engines run. */
export function sqlQueriesFor(config: LakehouseConfig, dir: string = DEFAULT_SQL_DIR): SqlQuery[] {
  return renderSqlQueries(readSqlQueries(dir), config);
}
