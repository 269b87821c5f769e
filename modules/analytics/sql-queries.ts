import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** One analytics query from `sql/`. */
export interface SqlQuery {
  /** File name without `.sql`, e.g. `daily_revenue`. */
  readonly name: string;
  /** The file's first comment line, without `-- `. */
  readonly description: string;
  /** The file's full text, unchanged: the same SQL runs in Athena and DuckDB. */
  readonly sql: string;
}

/** The repository's own `sql/` folder. */
export const DEFAULT_SQL_DIR = join(__dirname, "..", "..", "sql");

/** Reads every `*.sql` file of a folder, sorted by name so synth output is stable. */
export function loadSqlQueries(dir: string = DEFAULT_SQL_DIR): SqlQuery[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), "utf8");
      const firstComment = sql.split("\n").find((line) => line.startsWith("--"));
      return {
        name: basename(file, ".sql"),
        description: (firstComment ?? "").replace(/^--\s*/, "").slice(0, 1024),
        sql,
      };
    });
}
