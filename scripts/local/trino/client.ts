/**
 * A minimal Trino REST client, no client library: `POST /v1/statement` with
 * the user, catalog, schema and time zone headers, then `GET nextUri` until
 * the query is done, collecting columns and rows on the way.
 *
 * ```ts
 * const client = new TrinoClient({ endpoint, catalog: "awsdatacatalog", schema: "shoplake_dev_lake" });
 * const { columns, rows } = await client.query("SELECT count(*) AS n FROM orders");
 * ```
 */

/** A result column: its name and Trino's type signature, e.g. `decimal(38,2)`, `varchar`, `timestamp(3)`. */
export interface TrinoColumn {
  readonly name: string;
  readonly type: string;
}

/** What a statement returned; row values are as Trino's JSON carries them (decimals as strings). */
export interface TrinoResult {
  readonly columns: TrinoColumn[];
  readonly rows: unknown[][];
  /** Trino's query id, for the server log or the web UI. */
  readonly queryId: string;
}

export interface TrinoClientOptions {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** `X-Trino-User`. @default "lakehouse" */
  readonly user?: string;
  /** `X-Trino-Catalog`: the catalog unqualified names resolve in. */
  readonly catalog?: string;
  /** `X-Trino-Schema`: the schema unqualified table names resolve in (Athena: the query's database). */
  readonly schema?: string;
  /** `X-Trino-Time-Zone`. @default "UTC" (the lake's zone) */
  readonly timeZone?: string;
  /** Per-statement limit. @default 120000 */
  readonly timeoutMs?: number;
}

/** A statement Trino rejected or failed, with Trino's own message. */
export class TrinoQueryError extends Error {
  constructor(
    message: string,
    /** Trino's error name, e.g. `TABLE_NOT_FOUND`, `SYNTAX_ERROR`. */
    readonly errorName: string | undefined,
    readonly queryId: string | undefined,
    readonly sql: string,
  ) {
    super(message);
    this.name = "TrinoQueryError";
  }
}

/** The parts of Trino's `QueryResults` document this client reads. */
interface QueryResults {
  id: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: unknown[][];
  stats?: { state?: string };
  error?: { message?: string; errorName?: string; errorType?: string; errorLocation?: { lineNumber: number; columnNumber: number } };
}

export class TrinoClient {
  constructor(private readonly options: TrinoClientOptions) {}

  /**
   * Runs one statement (no trailing `;` needed; one is removed) and returns all its rows.
   * A query refused with "No nodes available" is tried again for up to 30 s: a server that
   * answers `SELECT 1` can still be registering its node for the catalogs (seen under load
   * on 2 cores), and the query has not run, so nothing is done twice.
   */
  async query(sql: string): Promise<TrinoResult> {
    const until = Date.now() + 30_000;
    for (;;) {
      try {
        return await this.queryOnce(sql);
      } catch (error) {
        const starting = error instanceof TrinoQueryError && /No nodes available/.test(error.message);
        if (!starting || Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async queryOnce(sql: string): Promise<TrinoResult> {
    const statement = sql.replace(/;\s*$/, "");
    const deadline = Date.now() + (this.options.timeoutMs ?? 120_000);
    const headers: Record<string, string> = {
      "X-Trino-User": this.options.user ?? "lakehouse",
      "X-Trino-Time-Zone": this.options.timeZone ?? "UTC",
      "Content-Type": "text/plain; charset=utf-8",
      // Without it Trino reports every timestamp as plain `timestamp` and rounds values to milliseconds.
      "X-Trino-Client-Capabilities": "PARAMETRIC_DATETIME",
    };
    if (this.options.catalog) headers["X-Trino-Catalog"] = this.options.catalog;
    if (this.options.schema) headers["X-Trino-Schema"] = this.options.schema;

    let page = await this.fetchPage(`${this.options.endpoint}/v1/statement`, { method: "POST", headers, body: statement }, statement);
    let columns: TrinoColumn[] | undefined;
    const rows: unknown[][] = [];
    for (;;) {
      if (page.error) throw queryError(page, statement);
      if (page.columns && !columns) columns = page.columns.map((c) => ({ name: c.name, type: c.type }));
      if (page.data) rows.push(...page.data);
      if (!page.nextUri) break;
      if (Date.now() > deadline) {
        await fetch(page.nextUri, { method: "DELETE", headers: { "X-Trino-User": headers["X-Trino-User"] } }).catch(() => undefined);
        throw new TrinoQueryError(`Trino query ${page.id} did not finish within ${(this.options.timeoutMs ?? 120_000) / 1000} s`, undefined, page.id, statement);
      }
      page = await this.fetchPage(page.nextUri, { method: "GET", headers: { "X-Trino-User": headers["X-Trino-User"] } }, statement);
    }
    return { columns: columns ?? [], rows, queryId: page.id };
  }

  /** One round trip; retries 502/503/504 (the server is busy or starting), as Trino's protocol asks clients to. */
  private async fetchPage(url: string, init: RequestInit, sql: string): Promise<QueryResults> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, init);
      if ([502, 503, 504].includes(response.status) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new TrinoQueryError(`Trino answered HTTP ${response.status} to ${init.method} ${url}: ${text.slice(0, 2000)}`, undefined, undefined, sql);
      return JSON.parse(text) as QueryResults;
    }
  }
}

function queryError(page: QueryResults, sql: string): TrinoQueryError {
  const error = page.error!;
  const where = error.errorLocation ? ` at line ${error.errorLocation.lineNumber}:${error.errorLocation.columnNumber}` : "";
  const firstLine = sql.split("\n").find((line) => line.trim() && !line.trim().startsWith("--")) ?? sql;
  return new TrinoQueryError(
    `Trino query ${page.id} failed (${error.errorName ?? error.errorType ?? "error"})${where}: ${error.message ?? "no message"}\n  in: ${firstLine.trim().slice(0, 200)}`,
    error.errorName,
    page.id,
    sql,
  );
}
