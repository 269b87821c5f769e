import { renderGlueScripts } from "../../modules/etl/render";
import { readGlueTemplates } from "../../scripts/build/glue-templates";
import { resourcesOfType, synthStack, testConfig } from "../support/synth";

/**
 * One source of truth: a partition spec or a column declared once in the
 * config reaches the catalog table, its partition projection and the rendered
 * Glue script together.
 */
describe("config changes flow into every consumer", () => {
  const monthly = testConfig((c) => {
    const orders = c.datasets.find((d) => d.name === "orders")!;
    orders.partitioning = { sourceColumn: "order_ts", keys: [{ name: "order_year", transform: "year" }, { name: "order_month", transform: "month" }] };
    orders.columns.push({ name: "channel", type: "string" });
  });
  const { parsed } = synthStack(monthly);
  const ordersTable = resourcesOfType(parsed, "aws_glue_catalog_table").find((t) => t.name === "orders")!;
  const scripts = renderGlueScripts(monthly, readGlueTemplates());
  const uploaded = resourcesOfType(parsed, "aws_s3_object").find((o) => o.key.endsWith("batch_job.py"))!;

  test("the catalog table's partition keys follow the partition spec", () => {
    expect(ordersTable.partition_keys.map((k: any) => k.name)).toEqual(["order_year", "order_month"]);
  });

  test("partition projection follows the partition spec", () => {
    expect(ordersTable.parameters["storage.location.template"]).toMatch(/order_year=\$\$\{order_year\}\/order_month=\$\$\{order_month\}\/$/);
    expect(ordersTable.parameters["projection.day.type"]).toBeUndefined();
  });

  test("the rendered scripts partition by the same keys", () => {
    for (const script of [scripts.batch, scripts.incremental]) {
      expect(script).toContain('"keys": [("order_year", "year"), ("order_month", "month")]');
      expect(script).not.toContain('("day", "day")');
    }
  });

  test("a new column reaches the catalog and the script's schema", () => {
    expect(ordersTable.storage_descriptor.columns.map((c: any) => c.name)).toContain("channel");
    expect(scripts.batch).toContain('T.StructField("channel", T.StringType(), True)');
  });

  test("the script deployed to S3 is the one rendered from the same config", () => {
    expect(uploaded.content).toContain('("order_year", "year")');
  });
});
