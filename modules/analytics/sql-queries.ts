import type { LakehouseConfig } from "../config/schema";

/** One analytics query from `sql/`. */
export interface SqlQuery {
  /** File name without `.sql`, e.g. `daily_revenue`. */
  readonly name: string;
  /** The file's first comment line, without `-- `. */
  readonly description: string;
  /**
   * The query text. As read from `sql/` it may hold dataset references
   * (`{{ dataset('orders') }}`); {@link renderSqlQueries} turns them into the
   * configured table names, and the rendered text is what Athena, Trino and
   * DuckDB run.
   */
  readonly sql: string;
}

/** Athena's limit on a named query's description. */
const MAX_DESCRIPTION = 1024;

/**
 * A dataset reference in `sql/`: `{{ dataset('<name>') }}`, the dataset's
 * config `name` (its stable key), rendered as the dataset's `table`. `{{` is
 * not SQL in Athena, Trino or DuckDB, so an unrendered file fails to parse
 * rather than query the wrong table. Whitespace inside the braces is free;
 * the name is in single quotes.
 */
const REFERENCE = /\{\{\s*dataset\(\s*'([^'\n]*)'\s*\)\s*\}\}/g;
/** What is left of a malformed reference after the well-formed ones are rendered. */
const LEFTOVER = /\{\{|\}\}/;

/** How a dataset reference is written, for error messages and docs. */
export const DATASET_REFERENCE_SYNTAX = "{{ dataset('<name>') }}";

/** A `sql/` text that cannot be rendered: an unknown dataset, or braces that are not a reference. */
export class SqlReferenceError extends Error {
  override readonly name = "SqlReferenceError";
}

/**
 * Renders one SQL text for a config: every `{{ dataset('<name>') }}` becomes
 * that dataset's table name; nothing else changes, byte for byte. Throws a
 * {@link SqlReferenceError} naming `source`, the line, the reference and the
 * allowed dataset names when a reference names no dataset, and when any `{{`
 * or `}}` is left that is not a well-formed reference, so the result never
 * holds a placeholder. References are rendered wherever they are, comments
 * and string literals included.
 */
export function renderSql(sql: string, config: LakehouseConfig, source: string): string {
  const tables = new Map(config.datasets.map((d) => [d.name, d.table]));
  const allowed = () => config.datasets.map((d) => d.name).join(", ");
  const at = (offset: number) => `${source}:${sql.slice(0, offset).split("\n").length}`;
  const rendered = sql.replace(REFERENCE, (reference: string, name: string, offset: number) => {
    const table = tables.get(name);
    if (table === undefined) {
      throw new SqlReferenceError(`${at(offset)}: ${reference} names no dataset of the config; allowed: ${allowed()}`);
    }
    return table;
  });
  if (LEFTOVER.test(rendered)) {
    // Report it at its place in the source: the first {{ or }} that no well-formed reference covers.
    const offset = unrenderedBraces(sql);
    const braces = sql.slice(offset, offset + 2);
    const line = sql.slice(sql.lastIndexOf("\n", offset) + 1).split("\n")[0].trim();
    throw new SqlReferenceError(
      `${at(offset)}: ${braces} outside a dataset reference (in "${line}"); write ${DATASET_REFERENCE_SYNTAX} with one of: ${allowed()}`,
    );
  }
  return rendered;
}

/** Offset of the first `{{` or `}}` in `sql` outside a well-formed reference. */
function unrenderedBraces(sql: string): number {
  let from = 0;
  for (const match of sql.matchAll(REFERENCE)) {
    const before = sql.slice(from, match.index).search(LEFTOVER);
    if (before >= 0) return from + before;
    from = match.index + match[0].length;
  }
  return from + Math.max(0, sql.slice(from).search(LEFTOVER));
}

/**
 * The queries as Athena, Trino and DuckDB run them for one config: each
 * query's text and description rendered by {@link renderSql} (errors name the
 * file as `<name>.sql`). Pure and deterministic: same queries and config, same
 * output, in the same order.
 */
export function renderSqlQueries(queries: readonly SqlQuery[], config: LakehouseConfig): SqlQuery[] {
  return queries.map((query) => {
    const source = `${query.name}.sql`;
    // The text first: its errors carry the file's line numbers (the description is one of its lines).
    const sql = renderSql(query.sql, config, source);
    return { name: query.name, description: renderSql(query.description, config, source).slice(0, MAX_DESCRIPTION), sql };
  });
}

/** A query's description: its first `--` comment line without the dashes, at most Athena's 1024 characters. */
export function sqlDescription(sql: string): string {
  const firstComment = sql.split("\n").find((line) => line.startsWith("--"));
  return (firstComment ?? "").replace(/^--\s*/, "").slice(0, MAX_DESCRIPTION);
}
