import { sqlQueriesFor } from "../../scripts/build/sql-queries";
import { onlyResource, resourcesOfType, synthStack, testConfig } from "../support/synth";

describe("analytics", () => {
  const { parsed } = synthStack();

  test("the workgroup enforces its settings on engine v3 with metrics", () => {
    const workgroup = onlyResource(parsed, "aws_athena_workgroup");
    expect(workgroup.configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      publish_cloudwatch_metrics_enabled: true,
      engine_version: { selected_engine_version: "Athena engine version 3" },
    });
  });

  test("query results are encrypted and land in the workgroup's own folder under athena-results/", () => {
    const { result_configuration } = onlyResource(parsed, "aws_athena_workgroup").configuration;
    expect(result_configuration.output_location).toMatch(/^s3:\/\/.+\/athena-results\/shoplake-dev-analytics\/$/);
    expect(result_configuration.encryption_configuration).toEqual({ encryption_option: "SSE_S3" });
  });

  test("each query's scan is capped at the configured cutoff", () => {
    expect(onlyResource(parsed, "aws_athena_workgroup").configuration.bytes_scanned_cutoff_per_query).toBe(104_857_600);
    const { parsed: custom } = synthStack(testConfig((c) => (c.athena = { bytesScannedCutoffPerQuery: 20_000_000 })));
    expect(onlyResource(custom, "aws_athena_workgroup").configuration.bytes_scanned_cutoff_per_query).toBe(20_000_000);
  });

  test("one named query per sql/ file, rendered for the config, runs in the lake database", () => {
    const queries = resourcesOfType(parsed, "aws_athena_named_query");
    expect(queries.map((q) => q.name).sort()).toEqual(["customer_ltv", "daily_revenue", "region_performance", "top_products"]);
    for (const query of queries) {
      expect(query.database).toMatch(/^\$\{aws_glue_catalog_database\.[A-Za-z0-9_]+\.name\}$/);
      expect(query.query).toBe(sqlQueriesFor(testConfig()).find((q) => q.name === query.name)!.sql);
    }
  });
});

describe("sql/ stays portable between Athena and DuckDB", () => {
  // Trino functions DuckDB lacks (and vice versa): using one breaks the local run or Athena.
  const nonPortable = ["approx_distinct", "approx_percentile", "date_format", "date_add", "from_iso8601_timestamp", "day_of_week", "strftime", "epoch_ms", "list_", "struct_pack"];

  test.each(sqlQueriesFor(testConfig()).map((q) => [q.name, q.sql]))("%s uses no engine-specific function", (_name, sql) => {
    for (const fn of nonPortable) expect(sql.toLowerCase()).not.toContain(`${fn}(`);
  });
});
