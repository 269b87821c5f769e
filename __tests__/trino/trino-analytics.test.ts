/**
 * The `sql/` analytics on a real Trino server (the engine Athena engine v3 is
 * built on) over a curated lake the real local pipeline wrote, against DuckDB
 * (the local stand-in for Athena) over the same files: the same rows, to the
 * cent. Then the dialect traps between the two engines, one behaviour each,
 * and what `sql/` does about each.
 *
 * One Trino server for the whole file (start-up is a JVM: 10-20 s). Needs
 * `bash scripts/setup-trino.sh`; without Trino or a Java >= 24 every test here
 * fails with that command, none is skipped.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { ColumnType } from "../../modules/config/columns";
import { databaseName } from "../../modules/config/naming";
import { sqlQueriesFor } from "../../scripts/build/sql-queries";
import { LakeQuery, type QueryResult } from "../../scripts/local/lake-query";
import { runLocalPipeline } from "../../scripts/local/pipeline";
import { silentProgress } from "../../scripts/local/progress";
import { seedRawData } from "../../scripts/local/seed-raw";
import { findTrinoJava, requireTrinoInstall, TRINO_SETUP_COMMAND } from "../../scripts/local/trino/install";
import { trinoType } from "../../scripts/local/trino/tables";
import { TrinoLakeQuery } from "../../scripts/local/trino/trino-lake-query";
import { resourcesOfType, synthStack, testConfig, type SynthesizedStack } from "../support/synth";

const config = testConfig();
const environment = config.environments[0].name;
const SETUP_MINUTES = 20 * 60_000;

/** Every value as a string (null stays null): the engines' JSON types differ, their values must not. */
const asStrings = (result: QueryResult) =>
  result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])));

/** Resolves a `${aws_glue_catalog_database.<id>.name}` reference to the database's name. */
function resolveDatabase(stack: SynthesizedStack, reference: string): string {
  const match = /^\$\{aws_glue_catalog_database\.([A-Za-z0-9_-]+)\.name\}$/.exec(reference);
  if (!match) return reference;
  return stack.resource.aws_glue_catalog_database[match[1]].name;
}

/** The SQL without `--` comments, for scanning its expressions. */
const withoutComments = (sql: string) => sql.replace(/--[^\n]*/g, "");

/** The operand just left of each `/`: a parenthesised call with its function name, or a bare token. */
function dividends(sql: string): string[] {
  const text = withoutComments(sql);
  const found: string[] = [];
  for (let i = text.indexOf("/"); i >= 0; i = text.indexOf("/", i + 1)) {
    let end = i - 1;
    while (end >= 0 && /\s/.test(text[end])) end--;
    let start = end;
    if (text[end] === ")") {
      for (let depth = 0; start >= 0; start--) {
        if (text[start] === ")") depth++;
        if (text[start] === "(" && --depth === 0) break;
      }
    }
    while (start > 0 && /[\w.]/.test(text[start - 1])) start--;
    found.push(text.slice(start, end + 1));
  }
  return found;
}

describe("Trino install checks", () => {
  test("a missing Trino install fails with the setup command, not a skip", () => {
    const emptyCache = mkdtempSync(join(tmpdir(), "lakehouse-no-trino-"));
    try {
      expect(() => requireTrinoInstall({ ...process.env, LAKEHOUSE_CACHE: emptyCache })).toThrow(TRINO_SETUP_COMMAND);
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });

  /** A folder of fake JVMs whose `bin/java -version` reports the given major versions. */
  function fakeJvms(majors: number[]): string {
    const dir = mkdtempSync(join(tmpdir(), "lakehouse-jvms-"));
    for (const major of majors) {
      mkdirSync(join(dir, `jdk-${major}`, "bin"), { recursive: true });
      const java = join(dir, `jdk-${major}`, "bin", "java");
      writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${major}.0.1" 2026-01-20' >&2\n`);
      chmodSync(java, 0o755);
    }
    return dir;
  }

  test("no Java >= 24 among the system's JVMs fails saying what to install", () => {
    const jvms = fakeJvms([17, 21]);
    try {
      expect(() => findTrinoJava({}, jvms)).toThrow(/needs Java 24 or newer.*install a JDK 24\+/);
    } finally {
      rmSync(jvms, { recursive: true, force: true });
    }
  });

  test("the newest Java >= 24 among the system's JVMs runs Trino, whatever its folder is called", () => {
    const jvms = fakeJvms([17, 24, 25, 21]);
    try {
      expect(findTrinoJava({}, jvms)).toEqual({ javaHome: join(jvms, "jdk-25"), javaMajor: 25 });
    } finally {
      rmSync(jvms, { recursive: true, force: true });
    }
  });

  test("a TRINO_JAVA_HOME older than Java 24 is refused", () => {
    const jvms = fakeJvms([17]);
    try {
      expect(() => findTrinoJava({ TRINO_JAVA_HOME: join(jvms, "jdk-17") }, jvms)).toThrow(/not a Java 24\+ \(found 17\)/);
    } finally {
      rmSync(jvms, { recursive: true, force: true });
    }
  });
});

describe("sql/ on Trino (Athena engine v3) and on DuckDB, over one curated lake", () => {
  const lakeDir = mkdtempSync(join(tmpdir(), "lakehouse-trino-lake-"));
  const { parsed: stack } = synthStack(config, environment);
  const namedQueries = resourcesOfType(stack, "aws_athena_named_query").map((q) => ({
    name: q.name as string,
    sql: q.query as string,
    database: resolveDatabase(stack, q.database),
  }));
  const timings: string[] = [];
  let trino: TrinoLakeQuery;
  let duckdb: LakeQuery;

  /** Runs a statement on both engines; records Trino's time. */
  async function both(sql: string, label?: string): Promise<{ trino: QueryResult; duckdb: QueryResult }> {
    const started = performance.now();
    const onTrino = await trino.query(sql);
    if (label) timings.push(`${label} ${Math.round(performance.now() - started)} ms`);
    return { trino: onTrino, duckdb: await duckdb.query(sql) };
  }

  beforeAll(async () => {
    // First, so that a missing install fails at once, naming the setup command.
    requireTrinoInstall();
    const pipelineStarted = performance.now();
    seedRawData({ lakeDir, orders: 600, days: 45, dirtyRate: 0 });
    await runLocalPipeline({ config, lakeDir, ticks: 1, dirtyRate: 0.1, progress: silentProgress });
    timings.push(`pipeline (Spark) ${((performance.now() - pipelineStarted) / 1000).toFixed(1)} s`);
    const openStarted = performance.now();
    trino = await TrinoLakeQuery.open(config, lakeDir, environment);
    timings.push(`Trino server start to first answer ${(trino.server.startupMs / 1000).toFixed(1)} s`);
    timings.push(`Trino open incl. table DDL ${((performance.now() - openStarted) / 1000).toFixed(1)} s`);
    duckdb = await LakeQuery.open(config, lakeDir, environment);
  }, SETUP_MINUTES);

  afterAll(async () => {
    duckdb?.close();
    await trino?.close();
    rmSync(lakeDir, { recursive: true, force: true });
    console.log(`Trino timings:\n  ${timings.join("\n  ")}`);
  }, 60_000);

  test("every sql/ file is deployed as an Athena named query whose database is the Trino schema", () => {
    expect(namedQueries.map((q) => q.name).sort()).toEqual(sqlQueriesFor(config).map((q) => q.name));
    for (const named of namedQueries) {
      expect(named.sql).toBe(sqlQueriesFor(config).find((q) => q.name === named.name)!.sql);
      expect(named.database).toBe(databaseName(config, environment));
    }
    expect(trino.schema).toBe(databaseName(config, environment));
  });

  test.each(sqlQueriesFor(config).map((q) => [q.name]))("%s.sql, as deployed, gives the same rows on Trino as on DuckDB, to the cent", async (name) => {
    const named = namedQueries.find((q) => q.name === name)!;
    expect(named.database).toBe(trino.schema); // the named query's database is the session's default schema
    const { trino: onTrino, duckdb: onDuckdb } = await both(named.sql, `${name}.sql`);
    expect(onTrino.columns).toEqual(onDuckdb.columns);
    expect(onTrino.rows.length).toBeGreaterThan(0);
    expect(asStrings(onTrino)).toEqual(asStrings(onDuckdb));
  });

  test("money comes back from Trino as exact decimal strings with two places", async () => {
    for (const { name, sql } of namedQueries) {
      const { columns, rows } = await trino.queryTyped(sql);
      const money = columns.flatMap((c, i) => (/^decimal\(\d+, ?2\)$/.test(c.type) ? [i] : []));
      expect({ name, hasMoney: money.length > 0 }).toEqual({ name, hasMoney: true });
      for (const row of rows) for (const i of money) expect(row[i]).toMatch(/^-?\d+\.\d{2}$/);
    }
  });

  test("the Trino tables have the Glue catalog tables' columns: same names, same order, types mapped", async () => {
    const glue = resourcesOfType(stack, "aws_glue_catalog_table").map((table) => ({
      schema: resolveDatabase(stack, table.database_name),
      table: table.name as string,
      columns: [...table.storage_descriptor.columns, ...(table.partition_keys ?? [])].map((c: { name: string; type: string }) => [
        c.name,
        trinoType(c.type as ColumnType),
      ]),
    }));
    const { rows } = await trino.queryTyped(
      `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = '${trino.schema}' ORDER BY table_name, ordinal_position`,
    );
    const onTrino = glue.map(({ schema, table }) => ({
      schema,
      table,
      columns: rows.filter((r) => r[0] === schema && r[1] === table).map((r) => [r[2], String(r[3]).replace(/\s+/g, "")]),
    }));
    expect(onTrino).toEqual(glue);
    expect(glue.map((t) => t.table).sort()).toEqual(config.datasets.map((d) => d.table).sort());
  });

  test("every partition folder Spark wrote is registered with its unpadded integer values (month=3, not 03)", async () => {
    const folders: string[] = [];
    const ordersDir = join(lakeDir, "curated", "orders");
    for (const year of readdirSync(ordersDir).filter((f) => f.startsWith("year=")))
      for (const month of readdirSync(join(ordersDir, year)).filter((f) => f.startsWith("month=")))
        for (const day of readdirSync(join(ordersDir, year, month)).filter((f) => f.startsWith("day="))) folders.push(`${year}/${month}/${day}`);
    const { rows } = await trino.queryTyped(`SELECT year, month, day FROM "orders$partitions"`);
    expect(rows.map(([y, m, d]) => `year=${y}/month=${m}/day=${d}`).sort()).toEqual(folders.sort());
    expect(folders.some((f) => /month=\d\b|day=\d\b/.test(f))).toBe(true); // single digits occur: no zero padding
    const mismatched = await trino.query(
      "SELECT count(*) AS n FROM orders WHERE year <> year(order_ts) OR month <> month(order_ts) OR day <> day(order_ts) OR order_date <> CAST(order_ts AS date)",
    );
    expect(mismatched.rows).toEqual([{ n: "0" }]);
  });

  test("Spark's INT96 timestamps read as the same UTC instants on both engines", async () => {
    const sql = `SELECT order_id, CAST(order_ts AS date) AS d, hour(order_ts) AS h, minute(order_ts) AS m, second(order_ts) AS s,
        CAST(ingested_at AS date) AS id, hour(ingested_at) AS ih, minute(ingested_at) AS im, second(ingested_at) AS isec
      FROM orders ORDER BY order_id`;
    const { trino: onTrino, duckdb: onDuckdb } = await both(sql);
    expect(asStrings(onTrino)).toEqual(asStrings(onDuckdb));
    // Historical order ids carry their UTC order time (o-20261002T202326000Z-h...): an oracle independent of both engines.
    const { rows } = await trino.query("SELECT order_id, order_ts FROM orders WHERE order_id LIKE 'o-%-h%'");
    expect(rows.length).toBeGreaterThan(100);
    for (const { order_id, order_ts } of rows) {
      const [, y, mo, d, h, mi, s, ms] = /^o-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z-/.exec(String(order_id))!;
      expect(order_ts).toBe(`${y}-${mo}-${d} ${h}:${mi}:${s}.${ms}`);
    }
  });

  test("a failing statement raises Trino's own error message", async () => {
    await expect(trino.query("SELECT * FROM no_such_table")).rejects.toThrow(
      `Table 'awsdatacatalog.${trino.schema}.no_such_table' does not exist`,
    );
  });

  describe("dialect traps", () => {
    test("integer division truncates on Trino (5 / 2 = 2) but not on DuckDB (2.5)", async () => {
      const { trino: onTrino, duckdb: onDuckdb } = await both("SELECT 5 / 2 AS q, -5 / 2 AS n");
      expect(onTrino.rows).toEqual([{ q: 2, n: -2 }]);
      expect(onDuckdb.rows).toEqual([{ q: 2.5, n: -2.5 }]);
    });

    test("every division in sql/ has a double dividend, so neither engine divides integers", async () => {
      const all = sqlQueriesFor(config).flatMap((q) => dividends(q.sql).map((dividend) => ({ file: `${q.name}.sql`, dividend })));
      expect(all.length).toBeGreaterThan(0);
      for (const { file, dividend } of all) expect({ file, dividend, double: /\bAS double\)/i.test(dividend) }).toEqual({ file, dividend, double: true });
      const { trino: onTrino, duckdb: onDuckdb } = await both("SELECT CAST(5 AS double) / 2 AS q");
      expect([onTrino.rows, onDuckdb.rows]).toEqual([[{ q: 2.5 }], [{ q: 2.5 }]]);
    });

    test("sum over decimal(12,2) is an exact decimal(38,2) on both engines", async () => {
      const typed = await trino.queryTyped("SELECT typeof(sum(revenue)) FROM orders");
      expect(typed.rows).toEqual([["decimal(38,2)"]]);
      const { rows } = await duckdb.query("SELECT typeof(sum(revenue)) AS t FROM orders");
      expect(rows).toEqual([{ t: "DECIMAL(38,2)" }]);
      const { trino: onTrino, duckdb: onDuckdb } = await both("SELECT sum(revenue) AS s, sum(unit_price * quantity) AS p FROM orders");
      expect(onTrino.rows).toEqual(onDuckdb.rows);
      expect(String(onTrino.rows[0].s)).toMatch(/^\d+\.\d{2}$/);
    });

    test("avg over a decimal is a decimal rounded half up on Trino but a double on DuckDB, so sql/ never averages money with avg()", async () => {
      const values = "(VALUES (CAST(10.00 AS decimal(12,2))), (CAST(10.01 AS decimal(12,2)))) AS v(x)";
      expect((await trino.queryTyped(`SELECT avg(x), typeof(avg(x)) FROM ${values}`)).rows).toEqual([["10.01", "decimal(12,2)"]]);
      expect((await duckdb.query(`SELECT avg(x) AS a, typeof(avg(x)) AS t FROM ${values}`)).rows).toEqual([{ a: 10.005, t: "DOUBLE" }]);
      for (const { sql } of sqlQueriesFor(config)) expect(withoutComments(sql).toLowerCase()).not.toContain("avg(");
    });

    test("decimal division rounds to the cent on Trino but goes through a double on DuckDB: CAST(sum / count AS decimal) disagreed on half cents", async () => {
      // 805.41 over 6 orders is exactly 134.235: Trino rounds it half up, DuckDB's double is 134.23499...
      const { trino: onTrino, duckdb: onDuckdb } = await both("SELECT CAST(CAST(805.41 AS decimal(12,2)) / 6 AS decimal(12,2)) AS a");
      expect([onTrino.rows, onDuckdb.rows]).toEqual([[{ a: "134.24" }], [{ a: "134.23" }]]);
    });

    test("sql/'s averages round half up from exact integer cents, the same on both engines", async () => {
      // The expression of customer_ltv.sql and region_performance.sql, on the half-cent case above and its neighbours.
      const sql = `SELECT n, CAST(round(CAST(total * 100 AS double) / n) / 100 AS decimal(12,2)) AS avg_value
        FROM (VALUES (CAST(805.41 AS decimal(12,2)), 6), (CAST(805.40 AS decimal(12,2)), 6), (CAST(20.01 AS decimal(12,2)), 2), (CAST(0.01 AS decimal(12,2)), 3)) AS v(total, n)
        ORDER BY total`;
      const { trino: onTrino, duckdb: onDuckdb } = await both(sql);
      expect(asStrings(onTrino)).toEqual([
        { n: "3", avg_value: "0.00" },
        { n: "2", avg_value: "10.01" },
        { n: "6", avg_value: "134.23" },
        { n: "6", avg_value: "134.24" },
      ]);
      expect(asStrings(onDuckdb)).toEqual(asStrings(onTrino));
    });

    test("casting a double to a decimal rounds differently (0.285 is 0.29 on Trino, 0.28 on DuckDB), so sql/ only casts doubles of whole cents", async () => {
      const { trino: onTrino, duckdb: onDuckdb } = await both("SELECT CAST(CAST(0.285 AS double) AS decimal(5,2)) AS a, CAST(28.5E0 / 100 AS decimal(5,2)) AS b, CAST(round(28.5E0) / 100 AS decimal(5,2)) AS c");
      expect(onTrino.rows).toEqual([{ a: "0.29", b: "0.29", c: "0.29" }]);
      expect(onDuckdb.rows).toEqual([{ a: "0.28", b: "0.28", c: "0.29" }]);
    });

    test("date_diff('day') over dates agrees on both engines, across month ends and leap days (what customer_ltv.sql uses)", async () => {
      const sql = `SELECT date_diff('day', DATE '2026-02-27', DATE '2026-03-02') AS a, date_diff('day', DATE '2024-02-28', DATE '2024-03-01') AS b,
        date_diff('day', DATE '2026-12-31', DATE '2026-01-01') AS c`;
      const { trino: onTrino, duckdb: onDuckdb } = await both(sql);
      expect(asStrings(onTrino)).toEqual([{ a: "3", b: "2", c: "-364" }]);
      expect(asStrings(onDuckdb)).toEqual(asStrings(onTrino));
      const uses = sqlQueriesFor(config).flatMap(({ sql: file }) => [...withoutComments(file).matchAll(/date_diff\('(\w+)',\s*(?:min|max)?\(?(?:\w+\.)?(\w+)/g)]);
      expect(uses.length).toBeGreaterThan(0);
      for (const [, unit, column] of uses) expect({ unit, column }).toEqual({ unit: "day", column: "order_date" }); // a `date` column, never a timestamp
    });

    test("date_diff over timestamps or in months differs: DuckDB counts boundaries crossed, Trino whole units elapsed", async () => {
      const sql = `SELECT date_diff('day', TIMESTAMP '2026-01-01 23:00:00', TIMESTAMP '2026-01-02 01:00:00') AS days,
        date_diff('month', DATE '2026-01-31', DATE '2026-02-01') AS months`;
      const { trino: onTrino, duckdb: onDuckdb } = await both(sql);
      expect(asStrings(onTrino)).toEqual([{ days: "0", months: "0" }]);
      expect(asStrings(onDuckdb)).toEqual([{ days: "1", months: "1" }]);
    });

    test("date_trunc of a date is a date on Trino but a timestamp on DuckDB; cast back to date, both agree", async () => {
      const { trino: onTrino, duckdb: onDuckdb } = await both(
        "SELECT date_trunc('month', DATE '2026-03-17') AS raw, CAST(date_trunc('month', DATE '2026-03-17') AS date) AS portable",
      );
      expect(onTrino.rows).toEqual([{ raw: "2026-03-01", portable: "2026-03-01" }]);
      expect(onDuckdb.rows).toEqual([{ raw: "2026-03-01 00:00:00", portable: "2026-03-01" }]);
    });

    test("date_trunc('day') of order_ts, cast to a date, is order_date on both engines", async () => {
      const sql = "SELECT count(*) AS n, count_if(CAST(date_trunc('day', order_ts) AS date) = order_date) AS same FROM orders";
      const { trino: onTrino, duckdb: onDuckdb } = await both(sql);
      expect(asStrings(onTrino)).toEqual(asStrings(onDuckdb));
      expect(onTrino.rows[0].same).toBe(onTrino.rows[0].n);
    });
  });
});
