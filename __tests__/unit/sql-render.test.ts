import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import defaultConfig from "../../lakehouse.config";
import { renderSql, renderSqlQueries, SqlReferenceError, type SqlQuery } from "../../modules/analytics/sql-queries";
import type { LakehouseConfigInput } from "../../modules/config";
import { readSqlQueries, sqlQueriesFor } from "../../scripts/build/sql-queries";
import { LakeQuery } from "../../scripts/local/lake-query";
import { testConfig } from "../support/synth";

/**
 * `sql/` names datasets (`{{ dataset('orders') }}`), not tables: rendering
 * puts in the table each dataset has in the config, for Athena's named
 * queries and for the local engines alike.
 */
const repo = join(__dirname, "..", "..");
const PLACEHOLDER = /\{\{|\}\}/;
const ALLOWED = "allowed: customers, products, orders";

/** The default config with tables renamed, by dataset name. */
function renamed(tables: Record<string, string>) {
  return testConfig((c) => {
    for (const dataset of c.datasets) dataset.table = tables[dataset.name] ?? dataset.table;
  });
}

const query = (sql: string, name = "broken"): SqlQuery => ({ name, description: "", sql });

describe("rendering sql/ for a config", () => {
  test("a config whose orders table is renamed renders every sql/ file with the new name and no placeholder left", () => {
    const raw = readSqlQueries();
    const rendered = sqlQueriesFor(renamed({ orders: "fact_orders" }));
    expect(rendered.map((q) => q.name)).toEqual(raw.map((q) => q.name));
    for (const [i, { name, sql }] of rendered.entries()) {
      expect({ name, references: raw[i].sql.includes("{{ dataset('orders') }}") }).toEqual({ name, references: true });
      expect({ name, renamed: /\b(FROM|JOIN) fact_orders\b/.test(sql), placeholder: PLACEHOLDER.test(sql), oldName: /\b(FROM|JOIN) orders\b/.test(sql) }).toEqual({
        name,
        renamed: true,
        placeholder: false,
        oldName: false,
      });
    }
  });

  test("the default config renders every sql/ file to exactly the SQL and description Athena's named queries had before sql/ named datasets", () => {
    // Captured from `npm run synth` before the change: the deployed named queries of the default config must not change.
    const before: Record<string, { query: string; description: string }> = JSON.parse(
      readFileSync(join(__dirname, "fixtures", "athena-named-queries-before-dataset-references.json"), "utf8"),
    );
    const rendered = sqlQueriesFor(testConfig());
    expect(Object.fromEntries(rendered.map((q) => [q.name, { query: q.sql, description: q.description }]))).toEqual(before);
  });

  test("an unknown dataset reference fails naming the file and line, the reference and the allowed dataset names", () => {
    const render = () => renderSqlQueries([query("SELECT count(*)\nFROM {{ dataset('order') }}")], testConfig());
    expect(render).toThrow(SqlReferenceError);
    expect(render).toThrow(`broken.sql:2: {{ dataset('order') }} names no dataset of the config; ${ALLOWED}`);
  });

  test("a table name is not a dataset reference: {{ dataset('dim_customers') }} fails, the dataset is customers", () => {
    expect(() => renderSql("SELECT * FROM {{ dataset('dim_customers') }}", testConfig(), "x.sql")).toThrow(
      `x.sql:1: {{ dataset('dim_customers') }} names no dataset of the config; ${ALLOWED}`,
    );
  });

  test.each([
    ["a bare name", "FROM {{ orders }} o"],
    ["double quotes", 'FROM {{ dataset("orders") }} o'],
    ["a missing closing brace", "FROM {{ dataset('orders') } o"],
    ["a stray closing pair", "FROM dataset('orders') }} o"],
  ])("braces that are not a well-formed reference (%s) fail naming the file, the line and the syntax, so no placeholder reaches the output", (_case, line) => {
    const sql = `-- ok: {{ dataset('customers') }}\nSELECT 1\n${line}\n`;
    expect(() => renderSql(sql, testConfig(), "q.sql")).toThrow(
      `q.sql:3: ${line.includes("{{") ? "{{" : "}}"} outside a dataset reference (in "${line}"); write {{ dataset('<name>') }} with one of: customers, products, orders`,
    );
  });

  test("whitespace inside a reference is free, and references in comments and descriptions are rendered too", () => {
    const [rendered] = renderSqlQueries(
      [{ name: "q", description: "Rows of {{ dataset('orders') }}", sql: "-- Rows of {{ dataset('orders') }}\nSELECT * FROM {{dataset( 'orders' )}}" }],
      renamed({ orders: "fact_orders" }),
    );
    expect(rendered).toEqual({ name: "q", description: "Rows of fact_orders", sql: "-- Rows of fact_orders\nSELECT * FROM fact_orders" });
  });

  test("rendering is deterministic and leaves its input as it was", () => {
    const raw = readSqlQueries();
    const copy = structuredClone(raw);
    const config = renamed({ orders: "fact_orders" });
    expect(renderSqlQueries(raw, config)).toEqual(renderSqlQueries(raw, config));
    expect(raw).toEqual(copy);
  });

  test("modules/ only renders: the analytics module reads no files and does not use __dirname", () => {
    const source = readFileSync(join(repo, "modules", "analytics", "sql-queries.ts"), "utf8");
    expect(source).not.toMatch(/node:fs|__dirname|readFileSync|readdirSync/);
  });
});

describe("renamed tables end to end on DuckDB", () => {
  const tables = { orders: "fact_orders", customers: "customer_dim", products: "product_dim" };
  const config = renamed(tables);
  const lakeDir = mkdtempSync(join(tmpdir(), "lakehouse-sql-render-"));

  beforeAll(async () => {
    // A tiny curated lake in the renamed folders, written by DuckDB (no Spark): what the jobs write, three orders over two days.
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    const curated = (table: string) => {
      mkdirSync(join(lakeDir, "curated", table), { recursive: true });
      return join(lakeDir, "curated", table).replace(/'/g, "''");
    };
    try {
      await db.run(`COPY (SELECT * FROM (VALUES ('c1', 'Ann', 'ann@example.com', 'EU', DATE '2026-01-01'), ('c2', 'Bob', 'bob@example.com', 'NA', DATE '2026-01-02'))
        AS t(customer_id, name, email, region, signup_date)) TO '${curated(tables.customers)}/part-0.parquet' (FORMAT parquet)`);
      await db.run(`COPY (SELECT product_id, name, category, CAST(unit_price AS decimal(10,2)) AS unit_price FROM (VALUES ('p1', 'Mug', 'kitchen', 2.50), ('p2', 'Lamp', 'home', 10.00))
        AS t(product_id, name, category, unit_price)) TO '${curated(tables.products)}/part-0.parquet' (FORMAT parquet)`);
      await db.run(`COPY (
        SELECT order_id, customer_id, product_id, order_ts, quantity, CAST(unit_price AS decimal(10,2)) AS unit_price,
          CAST(quantity * unit_price AS decimal(12,2)) AS revenue, CAST(order_ts AS date) AS order_date, order_ts AS ingested_at,
          year(order_ts) AS year, month(order_ts) AS month, day(order_ts) AS day
        FROM (VALUES ('o1', 'c1', 'p1', TIMESTAMP '2026-03-07 10:00:00', 2, 2.50), ('o2', 'c2', 'p2', TIMESTAMP '2026-03-07 11:00:00', 1, 10.00),
          ('o3', 'c1', 'p2', TIMESTAMP '2026-03-08 09:00:00', 3, 10.00)) AS t(order_id, customer_id, product_id, order_ts, quantity, unit_price)
      ) TO '${curated(tables.orders)}' (FORMAT parquet, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE)`);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });

  afterAll(() => rmSync(lakeDir, { recursive: true, force: true }));

  test("every sql/ file, rendered for a config that renames every table, runs on DuckDB over the renamed curated folders", async () => {
    const lake = await LakeQuery.open(config, lakeDir);
    try {
      const results: Record<string, Record<string, unknown>[]> = {};
      for (const { name, sql } of sqlQueriesFor(config)) results[name] = (await lake.query(sql)).rows;
      expect(results.daily_revenue).toEqual([
        { order_date: "2026-03-07", orders: "2", units: "3", revenue: "15.00" },
        { order_date: "2026-03-08", orders: "1", units: "3", revenue: "30.00" },
      ]);
      expect(results.top_products.map((r) => [r.product_id, r.revenue])).toEqual([["p2", "40.00"], ["p1", "5.00"]]);
      expect(results.customer_ltv.map((r) => [r.customer_id, r.orders, r.lifetime_revenue])).toEqual([["c1", "2", "35.00"], ["c2", "1", "10.00"]]);
      expect(results.region_performance.map((r) => [r.region, r.revenue])).toEqual([["EU", "35.00"], ["NA", "10.00"]]);
    } finally {
      lake.close();
    }
  });

  /** `lakehouse local query` with a config file holding the renamed tables. */
  function localQuery(...args: string[]) {
    const configFile = join(lakeDir, "renamed.config.json");
    const input = structuredClone(defaultConfig) as LakehouseConfigInput;
    for (const dataset of input.datasets) dataset.table = tables[dataset.name as keyof typeof tables];
    writeFileSync(configFile, JSON.stringify(input));
    const cli = join(repo, "bin", "lakehouse.js");
    return spawnSync(process.execPath, [cli, "local", "query", "--lake", lakeDir, "-c", configFile, "--format", "csv", ...args], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
  }

  test("lakehouse local query renders a sql/ file for the active config before running it", () => {
    const result = localQuery(join("sql", "daily_revenue.sql"));
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({
      status: 0,
      stderr: "",
      stdout: "order_date,orders,units,revenue\n2026-03-07,2,3,15.00\n2026-03-08,1,3,30.00\n",
    });
  }, 60_000);

  test("lakehouse local query exits 1 on an unknown dataset reference, naming it and the allowed datasets", () => {
    const result = localQuery("--sql", "SELECT count(*) AS n FROM {{ dataset('fact_orders') }}");
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: `lakehouse: --sql:1: {{ dataset('fact_orders') }} names no dataset of the config; ${ALLOWED}\n`,
    });
  }, 60_000);
});
