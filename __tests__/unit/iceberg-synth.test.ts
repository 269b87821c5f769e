import { Testing, TerraformStack } from "cdktf";
import { IcebergTableMaintenance, LakeCatalog, TABLE_MAINTENANCE_DEFAULTS } from "../../modules/catalog";
import { GlueJobs } from "../../modules/etl";
import { LakeStorage } from "../../modules/storage";
import { lakehouseArtifacts } from "../../scripts/build/artifacts";
import { LAKE_BUCKET_ARN, PARTITION, resourcesOfType, synthStack, testConfig, type SynthesizedStack } from "../support/synth";

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** The default shop with the named datasets' curated tables as Iceberg. */
const icebergConfig = (...datasets: string[]) =>
  testConfig((c) => {
    for (const dataset of c.datasets) if (datasets.includes(dataset.name)) dataset.format = "iceberg";
  });

const tableNamed = (stack: SynthesizedStack, name: string) => resourcesOfType(stack, "aws_glue_catalog_table").find((t) => t.name === name)!;
const jobNamed = (stack: SynthesizedStack, kind: string) => resourcesOfType(stack, "aws_glue_job").find((j) => j.name.endsWith(`-${kind}`))!;
const policyNamed = (stack: SynthesizedStack, role: string): Statement[] =>
  JSON.parse(resourcesOfType(stack, "aws_iam_role_policy").find((p) => p.name === `${role}-least-privilege`)!.policy).Statement;
const statement = (statements: Statement[], sid: string) => statements.find((s) => s.Sid === sid)!;
/** `arn:<partition>:s3:::<bucket>/curated/orders/*` -> `curated/orders/*`. */
const objectPaths = (statements: Statement[]) =>
  statements.flatMap((s) => s.Resource).filter((r) => LAKE_BUCKET_ARN.test(r)).map((r) => r.replace(LAKE_BUCKET_ARN, "").replace(/^\//, ""));
const ACCOUNT = "${data.aws_caller_identity.current.account_id}";

describe("an Iceberg curated table (orders as Iceberg)", () => {
  const { parsed } = synthStack(icebergConfig("orders"));
  const orders = tableNamed(parsed, "orders");

  test("the catalog table is created by Glue as an Iceberg format v2 table", () => {
    expect(orders.open_table_format_input).toEqual({ iceberg_input: { metadata_operation: "CREATE", version: "2" } });
    expect(orders.table_type).toBe("EXTERNAL_TABLE");
  });

  test("its location is the curated folder the Parquet table used", () => {
    expect(orders.storage_descriptor.location).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/curated\/orders\/$/);
  });

  test("the partition columns are ordinary integer columns after the curated columns", () => {
    const columns = orders.storage_descriptor.columns.map((c: any) => `${c.name}:${c.type}`);
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
      "year:int",
      "month:int",
      "day:int",
    ]);
  });

  test("it declares no Hive partition keys, no partition projection and no Parquet SerDe", () => {
    expect(orders.partition_keys).toBeUndefined();
    expect(orders.parameters).toBeUndefined();
    expect(Object.keys(orders.storage_descriptor).sort()).toEqual(["columns", "location"]);
  });

  test("the plan ignores exactly what Iceberg's commits rewrite", () => {
    expect(orders.lifecycle).toEqual({ ignore_changes: ["parameters", "storage_descriptor", "description"] });
  });

  test("the other datasets stay Parquet tables without a lifecycle", () => {
    for (const name of ["dim_customers", "dim_products"]) {
      const table = tableNamed(parsed, name);
      expect(table.open_table_format_input).toBeUndefined();
      expect(table.lifecycle).toBeUndefined();
      expect(table.storage_descriptor.ser_de_info.serialization_library).toBe("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    }
  });
});

describe("Iceberg table optimizers", () => {
  const { parsed } = synthStack(icebergConfig("orders"));
  const optimizers = resourcesOfType(parsed, "aws_glue_catalog_table_optimizer");
  const ofType = (type: string) => optimizers.find((o) => o.type === type)!;

  test("the Iceberg table gets a compaction, a retention and an orphan file deletion optimizer", () => {
    expect(optimizers.map((o) => o.type).sort()).toEqual(["compaction", "orphan_file_deletion", "retention"]);
    for (const optimizer of optimizers) {
      expect(optimizer.table_name).toMatch(/^\$\{aws_glue_catalog_table\.[^}]*table-orders[^}]*\.name\}$/);
      expect(optimizer.database_name).toMatch(/^\$\{aws_glue_catalog_database\.[^}]+\.name\}$/);
      expect(optimizer.catalog_id).toBe(ACCOUNT);
    }
  });

  test("compaction is enabled and has no settings", () => {
    expect(ofType("compaction").configuration).toEqual([{ enabled: true, role_arn: expect.stringMatching(/^\$\{aws_iam_role\..+\.arn\}$/) }]);
  });

  test("snapshot retention keeps AWS's defaults, explicitly", () => {
    expect(ofType("retention").configuration[0].retention_configuration).toEqual([
      {
        iceberg_configuration: [
          {
            snapshot_retention_period_in_days: TABLE_MAINTENANCE_DEFAULTS.snapshotRetentionPeriodInDays,
            number_of_snapshots_to_retain: TABLE_MAINTENANCE_DEFAULTS.numberOfSnapshotsToRetain,
            clean_expired_files: true,
            run_rate_in_hours: 24,
          },
        ],
      },
    ]);
  });

  test("orphan file deletion looks only in the table's folder", () => {
    expect(ofType("orphan_file_deletion").configuration[0].orphan_file_deletion_configuration).toEqual([
      {
        iceberg_configuration: [
          {
            orphan_file_retention_period_in_days: TABLE_MAINTENANCE_DEFAULTS.orphanFileRetentionPeriodInDays,
            location: expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/curated\/orders\/$/),
            run_rate_in_hours: 24,
          },
        ],
      },
    ]);
  });

  test("every optimizer runs as the one optimizer role, created after its policy", () => {
    const roles = new Set(optimizers.map((o) => o.configuration[0].role_arn));
    expect(roles.size).toBe(1);
    const role = resourcesOfType(parsed, "aws_iam_role").find((r) => r.name === "shoplake-dev-table-optimizer")!;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    for (const optimizer of optimizers) expect(optimizer.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\..*iceberg-maintenance_role_policy/)]);
  });

  test("settings given to the catalog reach the optimizers", () => {
    const stack = new TerraformStack(Testing.app(), "settings");
    const config = icebergConfig("orders");
    new LakeCatalog(stack, "catalog", {
      storage: new LakeStorage(stack, "storage", { bucketName: "lake" }),
      databaseName: "db",
      datasets: config.datasets,
      namePrefix: "shop-dev",
      accountId: "123456789012",
      region: "eu-west-1",
      tableMaintenance: {
        compaction: { enabled: false },
        retention: { snapshotRetentionPeriodInDays: 10, numberOfSnapshotsToRetain: 3, runRateInHours: 12 },
        orphanFileDeletion: { orphanFileRetentionPeriodInDays: 7 },
      },
    });
    const synthesized = resourcesOfType(JSON.parse(Testing.synth(stack)), "aws_glue_catalog_table_optimizer");
    const configuration = (type: string) => synthesized.find((o) => o.type === type)!.configuration[0];
    expect(configuration("compaction").enabled).toBe(false);
    expect(configuration("retention").retention_configuration[0].iceberg_configuration[0]).toMatchObject({
      snapshot_retention_period_in_days: 10,
      number_of_snapshots_to_retain: 3,
      run_rate_in_hours: 12,
    });
    expect(configuration("orphan_file_deletion").orphan_file_deletion_configuration[0].iceberg_configuration[0].orphan_file_retention_period_in_days).toBe(7);
  });

  test("a run rate outside AWS's 3..168 hours fails synth, naming the setting", () => {
    const stack = new TerraformStack(Testing.app(), "bad-rate");
    const config = icebergConfig("orders");
    expect(
      () =>
        new LakeCatalog(stack, "catalog", {
          storage: new LakeStorage(stack, "storage", { bucketName: "lake" }),
          databaseName: "db",
          datasets: config.datasets,
          namePrefix: "shop-dev",
          accountId: "123456789012",
          region: "eu-west-1",
          tableMaintenance: { retention: { runRateInHours: 1 } },
        }),
    ).toThrow(/retention\.runRateInHours must be a whole number in 3\.\.168, not 1/);
  });

  test("the catalog exposes the optimizers and their role", () => {
    const stack = new TerraformStack(Testing.app(), "exposed");
    const catalog = new LakeCatalog(stack, "catalog", {
      storage: new LakeStorage(stack, "storage", { bucketName: "lake" }),
      databaseName: "db",
      datasets: icebergConfig("orders").datasets,
      namePrefix: "shop-dev",
      accountId: "123456789012",
      region: "eu-west-1",
    });
    expect(catalog.tableMaintenance).toBeInstanceOf(IcebergTableMaintenance);
    expect(Object.keys(catalog.tableMaintenance!.optimizers)).toEqual(["orders"]);
    expect(catalog.tableMaintenance!.role.roleName).toBeDefined();
  });
});

describe("the table optimizer role", () => {
  const { parsed } = synthStack(icebergConfig("orders"));
  const statements = policyNamed(parsed, "shoplake-dev-table-optimizer");

  test("reads, writes and deletes objects only in the Iceberg table's folder", () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      "ReadIcebergTablesList",
      "ReadIcebergTables",
      "WriteIcebergTables",
      "DeleteIcebergFiles",
      "IcebergOptimizeOrders",
      "WriteOptimizerLogs",
    ]);
    expect(statement(statements, "WriteIcebergTables").Action).toEqual(["s3:PutObject", "s3:AbortMultipartUpload"]);
    expect(statement(statements, "DeleteIcebergFiles").Action).toEqual(["s3:DeleteObject"]);
    expect([...new Set(objectPaths(statements.filter((s) => s.Sid !== "ReadIcebergTablesList")))].sort()).toEqual(["curated/orders", "curated/orders/*"]);
  });

  test("lists the bucket only under the table's folder", () => {
    const list = statement(statements, "ReadIcebergTablesList");
    expect(list.Action).toEqual(["s3:ListBucket"]);
    expect(list.Condition).toEqual({ StringLike: { "s3:prefix": ["curated/orders/*"] } });
  });

  test("may get and update only the Iceberg table's catalog entry", () => {
    const glue = statement(statements, "IcebergOptimizeOrders");
    expect(glue.Action).toEqual(["glue:GetTable", "glue:UpdateTable"]);
    expect(glue.Resource.map((r) => r.replace(/\$\{aws_glue_catalog_database\.[^}]+\.name\}/, "<db>"))).toEqual([
      `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:database/<db>`,
      `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/<db>/orders`,
    ]);
  });

  test("writes logs only to the three optimizer log groups", () => {
    const logs = statement(statements, "WriteOptimizerLogs");
    expect(logs.Action).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(logs.Resource).toEqual(
      ["iceberg-compaction", "iceberg-retention", "iceberg-orphan-file-deletion"].map((g) => `arn:${PARTITION}:logs:eu-west-1:${ACCOUNT}:log-group:/aws-glue/${g}/logs:*`),
    );
  });

  test("with SSE-KMS it may use the lake's key for what it reads and writes", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/abcd";
    const kms = policyNamed(synthStack(testConfig((c) => {
      c.storage = { kmsKeyArn: key };
      c.datasets.find((d) => d.name === "orders")!.format = "iceberg";
    })).parsed, "shoplake-dev-table-optimizer").filter((s) => s.Action.some((a) => a.startsWith("kms:")));
    expect(kms.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["ReadIcebergTablesKms", ["kms:Decrypt"], [key]],
      ["WriteIcebergTablesKms", ["kms:Decrypt", "kms:GenerateDataKey"], [key]],
    ]);
  });

  test("only the jobs that own curated tables and the optimizer role may delete from curated/", () => {
    const deleters = resourcesOfType(parsed, "aws_iam_role_policy")
      .filter((p) =>
        (JSON.parse(p.policy).Statement as Statement[]).some(
          (s) => s.Action.includes("s3:DeleteObject") && objectPaths([s]).some((path) => path.startsWith("curated/")),
        ),
      )
      .map((p) => p.name)
      .sort();
    expect(deleters).toEqual([
      "shoplake-dev-batch-job-least-privilege",
      "shoplake-dev-incremental-job-least-privilege",
      "shoplake-dev-table-optimizer-least-privilege",
    ]);
  });
});

describe("Glue jobs of a lake with Iceberg tables", () => {
  const { parsed } = synthStack(icebergConfig("orders"));

  test.each(["batch", "incremental"])("the %s job loads Iceberg and is told the Glue database", (kind) => {
    expect(jobNamed(parsed, kind).default_arguments).toMatchObject({ "--datalake-formats": "iceberg", "--catalog_database": "shoplake_dev_lake" });
  });

  test.each(["batch", "incremental"])("the %s job's one --conf chains the Iceberg catalog after the UTC time zone", (kind) => {
    const conf = jobNamed(parsed, kind).default_arguments["--conf"] as string;
    expect(conf.split(" --conf ")).toEqual([
      "spark.sql.session.timeZone=UTC",
      "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
      "spark.sql.catalog.glue_catalog=org.apache.iceberg.spark.SparkCatalog",
      expect.stringMatching(/^spark\.sql\.catalog\.glue_catalog\.warehouse=s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/curated\/$/),
      "spark.sql.catalog.glue_catalog.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog",
      "spark.sql.catalog.glue_catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO",
    ]);
  });

  test.each(["batch", "incremental"])("the %s job may commit to the Iceberg table it writes, and to nothing else in the catalog", (kind) => {
    const statements = policyNamed(parsed, `shoplake-dev-${kind}-job`);
    const glue = statements.filter((s) => s.Action.some((a) => a.startsWith("glue:")));
    expect(glue).toEqual([
      {
        Sid: "CommitIcebergTables",
        Effect: "Allow",
        Action: ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"],
        Resource: [
          `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:catalog`,
          `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:database/shoplake_dev_lake`,
          `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/shoplake_dev_lake/orders`,
        ],
      },
    ]);
  });

  test.each(["batch", "incremental"])("the %s job may still read, write and delete only in the folders it owns", (kind) => {
    const statements = policyNamed(parsed, `shoplake-dev-${kind}-job`);
    expect(objectPaths([statement(statements, "ReplaceOwnedTables")])).toContain("curated/orders/*");
    expect(objectPaths(statements.filter((s) => s.Action.includes("s3:DeleteObject"))).filter((p) => p.startsWith("curated/"))).toEqual(
      kind === "batch" ? ["curated/dim_customers/*", "curated/dim_products/*", "curated/orders/*"] : ["curated/orders/*"],
    );
  });

  test("a job that only reads an Iceberg table for foreign keys may only load it", () => {
    const { parsed: mixed } = synthStack(icebergConfig("orders", "customers"));
    const incremental = policyNamed(mixed, "shoplake-dev-incremental-job");
    expect(statement(incremental, "ReadIcebergTables")).toEqual({
      Sid: "ReadIcebergTables",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable"],
      Resource: [
        `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:catalog`,
        `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:database/shoplake_dev_lake`,
        `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/shoplake_dev_lake/dim_customers`,
      ],
    });
    expect(statement(incremental, "CommitIcebergTables").Resource.at(-1)).toBe(`arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/shoplake_dev_lake/orders`);
    expect(statement(policyNamed(mixed, "shoplake-dev-batch-job"), "CommitIcebergTables").Resource.slice(2)).toEqual([
      `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/shoplake_dev_lake/dim_customers`,
      `arn:${PARTITION}:glue:eu-west-1:${ACCOUNT}:table/shoplake_dev_lake/orders`,
    ]);
  });

  test("jobs over an Iceberg table without the database name fail synth, naming the tables", () => {
    const stack = new TerraformStack(Testing.app(), "no-database");
    const config = icebergConfig("orders");
    expect(
      () =>
        new GlueJobs(stack, "etl", {
          storage: new LakeStorage(stack, "storage", { bucketName: "lake" }),
          datasets: config.datasets,
          scripts: lakehouseArtifacts(config).glueScripts,
          namePrefix: "shop-dev",
          accountId: "123456789012",
          region: "eu-west-1",
        }),
    ).toThrow(/orders are Iceberg tables, so the jobs need props\.databaseName/);
  });
});

describe("a Parquet-only lake", () => {
  const { parsed } = synthStack(testConfig());

  test("has no table optimizers and no optimizer role", () => {
    expect(resourcesOfType(parsed, "aws_glue_catalog_table_optimizer")).toEqual([]);
    expect(resourcesOfType(parsed, "aws_iam_role").map((r) => r.name)).not.toContain("shoplake-dev-table-optimizer");
  });

  test("has no Iceberg tables", () => {
    for (const table of resourcesOfType(parsed, "aws_glue_catalog_table")) expect(table.open_table_format_input).toBeUndefined();
  });

  test.each(["batch", "incremental"])("the %s job gets no Iceberg arguments and no catalog permissions", (kind) => {
    const args = jobNamed(parsed, kind).default_arguments;
    expect(args["--datalake-formats"]).toBeUndefined();
    expect(args["--catalog_database"]).toBeUndefined();
    expect(args["--conf"]).toBe("spark.sql.session.timeZone=UTC");
    expect(policyNamed(parsed, `shoplake-dev-${kind}-job`).flatMap((s) => s.Action).filter((a) => a.startsWith("glue:"))).toEqual([]);
  });
});

test("two synths of an Iceberg config are byte-identical", () => {
  const config = icebergConfig("orders", "customers");
  expect(synthStack(config).json).toBe(synthStack(config).json);
});
