import { resourcesOfType, synthStack, testConfig } from "../support/synth";

function tableNamed(stack: any, name: string): any {
  const table = resourcesOfType(stack, "aws_glue_catalog_table").find((t) => t.name === name);
  if (!table) throw new Error(`no aws_glue_catalog_table named ${name}`);
  return table;
}

describe("catalog", () => {
  const { parsed } = synthStack();

  test("declares one database named from the config", () => {
    expect(resourcesOfType(parsed, "aws_glue_catalog_database").map((d) => d.name)).toEqual(["shoplake_dev_lake"]);
  });

  test("declares a Parquet table per dataset", () => {
    const tables = resourcesOfType(parsed, "aws_glue_catalog_table");
    expect(tables.map((t) => t.name).sort()).toEqual(["dim_customers", "dim_products", "orders"]);
    for (const table of tables) {
      expect(table.storage_descriptor.ser_de_info.serialization_library).toBe(
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
      );
      expect(table.storage_descriptor.location).toMatch(new RegExp(`/curated/${table.name}/$`));
    }
  });

  test("orders columns are typed from the config, with derived and ingestion columns", () => {
    const columns = tableNamed(parsed, "orders").storage_descriptor.columns.map((c: any) => `${c.name}:${c.type}`);
    expect(columns).toEqual([
      "order_id:string",
      "customer_id:string",
      "product_id:string",
      "order_ts:timestamp",
      "quantity:int",
      "unit_price:decimal(10,2)",
      "revenue:decimal(12,2)",
      "order_date:date",
      "ingested_at:timestamp",
    ]);
  });

  test("orders is partitioned by integer year, month and day", () => {
    expect(tableNamed(parsed, "orders").partition_keys.map((k: any) => `${k.name}:${k.type}`)).toEqual([
      "year:int",
      "month:int",
      "day:int",
    ]);
  });

  test("orders uses integer partition projection without zero padding", () => {
    const parameters = tableNamed(parsed, "orders").parameters;
    expect(parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.year.type": "integer",
      "projection.month.type": "integer",
      "projection.month.range": "1,12",
      "projection.day.range": "1,31",
    });
    expect(Object.keys(parameters).some((k) => k.endsWith(".digits"))).toBe(false);
    expect(parameters["storage.location.template"]).toMatch(/\/curated\/orders\/year=\$\$\{year\}\/month=\$\$\{month\}\/day=\$\$\{day\}\/$/);
  });

  test("dimension tables are not partitioned and have no projection", () => {
    const customers = tableNamed(parsed, "dim_customers");
    expect(customers.partition_keys).toBeUndefined();
    expect(customers.parameters["projection.enabled"]).toBeUndefined();
  });

  test("the raw crawler reads every raw folder, incremental feed included", () => {
    const [crawler] = resourcesOfType(parsed, "aws_glue_crawler");
    expect(crawler.name).toBe("shoplake-dev-raw-crawler");
    expect(crawler.s3_target.map((t: any) => t.path.replace(/^s3:\/\/[^/]+\//, ""))).toEqual([
      "raw/customers/",
      "raw/products/",
      "raw/orders/",
      "raw/orders_incremental/",
    ]);
    expect(crawler.table_prefix).toBe("raw_");
  });

  test("the crawler role reads only raw/ and writes only raw_ tables", () => {
    const policy = JSON.parse(resourcesOfType(parsed, "aws_iam_role_policy").find((p) => /raw-crawler/.test(p.name))!.policy);
    const s3Resources = policy.Statement.filter((s: any) => s.Action.some((a: string) => a.startsWith("s3:")) && s.Sid !== "ReadCrawledPrefixesList").flatMap((s: any) => s.Resource);
    expect(s3Resources.every((r: string) => /\/raw\/[a-z_]+(\/\*)?$/.test(r))).toBe(true);
    const glue = policy.Statement.find((s: any) => s.Sid === "WriteCrawledTables");
    expect(glue.Resource).toContainEqual(expect.stringMatching(/:table\/shoplake_dev_lake\/raw_\*$/));
  });

  test("no curated crawler is deployed by default", () => {
    expect(resourcesOfType(parsed, "aws_glue_crawler")).toHaveLength(1);
  });
});

describe("catalog follows the partition spec", () => {
  const { parsed } = synthStack(
    testConfig((c) => {
      const orders = c.datasets.find((d) => d.name === "orders")!;
      orders.partitioning = { sourceColumn: "order_ts", keys: [{ name: "order_year", transform: "year" }, { name: "order_month", transform: "month" }] };
    }),
  );

  test("partition keys and projection template change together", () => {
    const orders = tableNamed(parsed, "orders");
    expect(orders.partition_keys.map((k: any) => k.name)).toEqual(["order_year", "order_month"]);
    expect(orders.parameters["projection.order_year.type"]).toBe("integer");
    expect(orders.parameters["projection.year.type"]).toBeUndefined();
    expect(orders.parameters["storage.location.template"]).toMatch(/\/order_year=\$\$\{order_year\}\/order_month=\$\$\{order_month\}\/$/);
  });
});

describe("catalog follows the columns", () => {
  test("a column added in the config appears in the table", () => {
    const { parsed } = synthStack(
      testConfig((c) => c.datasets.find((d) => d.name === "orders")!.columns.push({ name: "channel", type: "string" })),
    );
    const names = tableNamed(parsed, "orders").storage_descriptor.columns.map((c: any) => c.name);
    expect(names).toContain("channel");
  });
});
