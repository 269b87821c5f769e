import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { lakehouseArtifacts } from "../../scripts/build/artifacts";
import { LAKE_BUCKET_ARN, onlyResource, resourcesOfType, synthStack, testConfig } from "../support/synth";

const jobNamed = (stack: any, suffix: string) => resourcesOfType(stack, "aws_glue_job").find((j) => j.name.endsWith(`-${suffix}`))!;
const policyOf = (stack: any, roleSuffix: string) =>
  JSON.parse(resourcesOfType(stack, "aws_iam_role_policy").find((p) => p.name.endsWith(`-${roleSuffix}-job-least-privilege`))!.policy)
    .Statement as { Sid: string; Action: string[]; Resource: string[] }[];
/** Zone paths a role may use an action on, e.g. `raw/orders_incremental/` for s3:GetObject. */
/** Prefixes (`raw/orders/`) an action is granted under, from resources ending in `*`. */
const pathsFor = (statements: { Action: string[]; Resource: string[] }[], action: string) =>
  statements
    .filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .filter((r) => r.endsWith("*"))
    .map((r) => r.replace(LAKE_BUCKET_ARN, "").replace(/^\//, "").replace(/\*$/, ""))
    .sort();

/** Exact object keys (no wildcard) an action is granted on. */
const exactKeysFor = (statements: { Action: string[]; Resource: string[] }[], action: string) =>
  statements
    .filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .filter((r) => LAKE_BUCKET_ARN.test(r) && r.replace(LAKE_BUCKET_ARN, "").startsWith("/") && !r.endsWith("*"))
    .map((r) => r.replace(LAKE_BUCKET_ARN, "").replace(/^\//, ""))
    .sort();

describe("Glue jobs", () => {
  const { parsed } = synthStack();

  test("declares a batch and an incremental job", () => {
    expect(resourcesOfType(parsed, "aws_glue_job").map((j) => j.name).sort()).toEqual(["shoplake-dev-batch", "shoplake-dev-incremental"]);
  });

  test.each(["batch", "incremental"])("the %s job pins the Glue version and runs on 2 G.1X workers, one run at a time", (kind) => {
    expect(jobNamed(parsed, kind)).toMatchObject({
      glue_version: "5.0",
      worker_type: "G.1X",
      number_of_workers: 2,
      execution_class: "STANDARD",
      timeout: 30,
      max_retries: 1,
      execution_property: { max_concurrent_runs: 1 },
      job_run_queuing_enabled: true,
    });
  });

  test("jobs get the lake root, the shared library, metrics and a UTC Spark session", () => {
    const args = jobNamed(parsed, "incremental").default_arguments;
    expect(args["--lake_root"]).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}$/);
    expect(args["--extra-py-files"]).toMatch(/^s3:\/\/.+\/\$\{aws_s3_object\.[^}]*lakehouse_etl-zip[^}]*\.key\}$/);
    expect(args).toMatchObject({ "--enable-metrics": "true", "--enable-observability-metrics": "true", "--job-bookmark-option": "job-bookmark-disable" });
    expect(args["--conf"]).toBe("spark.sql.session.timeZone=UTC");
  });

  test("flex execution follows the config", () => {
    const { parsed: flex } = synthStack(testConfig((c) => (c.glue!.flex = true)));
    expect(jobNamed(flex, "batch").execution_class).toBe("FLEX");
  });

  test("the rendered entry scripts are uploaded verbatim with their sha256", () => {
    const { glueScripts } = lakehouseArtifacts(testConfig());
    const objects = resourcesOfType(parsed, "aws_s3_object");
    expect(objects.map((o) => o.key).sort()).toEqual(["_system/scripts/batch_job.py", "_system/scripts/incremental_job.py", "_system/scripts/lakehouse_etl.zip"]);
    for (const [kind, content] of [["batch", glueScripts.batch], ["incremental", glueScripts.incremental]] as const) {
      const object = objects.find((o) => o.key === `_system/scripts/${kind}_job.py`)!;
      expect(object.metadata["content-sha256"]).toBe(createHash("sha256").update(content).digest("hex"));
      expect(object.content.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toBe(content);
    }
  });

  test("the job library is uploaded from its zip asset, replaced when the zip's sha256 changes", () => {
    const { glueScripts } = lakehouseArtifacts(testConfig());
    const library = resourcesOfType(parsed, "aws_s3_object").find((o) => o.key === "_system/scripts/lakehouse_etl.zip")!;
    expect(library).toMatchObject({ content_type: "application/zip", source_hash: glueScripts.library.sha256, metadata: { "content-sha256": glueScripts.library.sha256 } });
    expect(library.source).toMatch(/^assets\/.+\/lakehouse_etl\.zip$/);
    expect(createHash("sha256").update(readFileSync(glueScripts.library.path)).digest("hex")).toBe(glueScripts.library.sha256);
  });

  test("a script change shows as a change of its S3 object", () => {
    const before = resourcesOfType(parsed, "aws_s3_object").find((o) => o.key.endsWith("batch_job.py"))!;
    const { parsed: changed } = synthStack(testConfig((c) => c.datasets.find((d) => d.name === "orders")!.columns.push({ name: "channel", type: "string" })));
    const after = resourcesOfType(changed, "aws_s3_object").find((o) => o.key.endsWith("batch_job.py"))!;
    expect(after.metadata["content-sha256"]).not.toBe(before.metadata["content-sha256"]);
  });

  test("the incremental job runs daily by default on a scheduled trigger", () => {
    expect(onlyResource(parsed, "aws_glue_trigger")).toMatchObject({
      type: "SCHEDULED",
      schedule: "cron(0 2 * * ? *)",
      start_on_creation: true,
      actions: [{ job_name: expect.stringMatching(/incremental-job/) }],
    });
  });

  test("a null schedule leaves the incremental job on demand", () => {
    const { parsed: manual } = synthStack(testConfig((c) => (c.glue!.incrementalSchedule = null)));
    expect(resourcesOfType(manual, "aws_glue_trigger")).toEqual([]);
  });

  test("jobs and the crawler run with one Glue security configuration", () => {
    const security = onlyResource(parsed, "aws_glue_security_configuration");
    expect(security.encryption_configuration.s3_encryption).toEqual({ s3_encryption_mode: "SSE-S3" });
    expect(jobNamed(parsed, "batch").security_configuration).toMatch(/aws_glue_security_configuration/);
    expect(onlyResource(parsed, "aws_glue_crawler").security_configuration).toMatch(/aws_glue_security_configuration/);
  });

  test("with a KMS key, S3 output, logs and bookmarks are all KMS-encrypted", () => {
    const key = "arn:aws:kms:eu-west-1:111122223333:key/abcd";
    const { parsed: kms } = synthStack(testConfig((c) => (c.storage = { kmsKeyArn: key })));
    expect(onlyResource(kms, "aws_glue_security_configuration").encryption_configuration).toEqual({
      s3_encryption: { s3_encryption_mode: "SSE-KMS", kms_key_arn: key },
      cloudwatch_encryption: { cloudwatch_encryption_mode: "SSE-KMS", kms_key_arn: key },
      job_bookmarks_encryption: { job_bookmarks_encryption_mode: "CSE-KMS", kms_key_arn: key },
    });
  });
});

describe("Glue job roles", () => {
  const { parsed } = synthStack();

  test("the incremental job reads only its feed, the dimensions it checks, its table, quarantine, reports, state and scripts", () => {
    expect(pathsFor(policyOf(parsed, "incremental"), "s3:GetObject")).toEqual([
      "_system/manifests/orders/",
      "_system/scripts/",
      "_system/tmp/incremental/",
      "curated/dim_customers/",
      "curated/dim_products/",
      "curated/orders/",
      "quality_reports/incremental/",
      "quarantine/orders/",
      "raw/orders_incremental/",
    ]);
  });

  test("the incremental job writes only curated orders, its quarantine, reports and state", () => {
    expect(pathsFor(policyOf(parsed, "incremental"), "s3:PutObject")).toEqual([
      "_system/manifests/orders/",
      "_system/tmp/incremental/",
      "curated/orders/",
      "quality_reports/incremental/",
      "quarantine/orders/",
    ]);
  });

  test("the incremental job deletes only in curated orders, its scratch space and its quarantine's staging folders", () => {
    expect(pathsFor(policyOf(parsed, "incremental"), "s3:DeleteObject")).toEqual([
      "_system/tmp/incremental/",
      "curated/orders/",
      "quarantine/orders/run_id=*/_temporary/",
    ]);
  });

  test("the only exact keys a job may read are the folder keys of the prefixes it reads (the HEAD a folder check sends)", () => {
    for (const job of ["batch", "incremental"] as const) {
      const statements = policyOf(parsed, job);
      expect(exactKeysFor(statements, "s3:GetObject")).toEqual(pathsFor(statements, "s3:GetObject").map((p) => p.replace(/\/$/, "")));
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) expect(exactKeysFor(statements, action)).toEqual([]);
    }
  });

  test("the jobs never delete their reports or manifests: a small file is one PUT on S3", () => {
    for (const job of ["batch", "incremental"] as const) {
      const deletes = pathsFor(policyOf(parsed, job), "s3:DeleteObject");
      expect(deletes.filter((p) => p.startsWith("quality_reports/") || p.startsWith("_system/manifests/"))).toEqual([]);
    }
  });

  test("the batch job cannot touch the incremental feed", () => {
    const statements = policyOf(parsed, "batch");
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
      expect(pathsFor(statements, action)).not.toContain("raw/orders_incremental/");
    }
  });

  test("the batch job writes every curated table but no raw data", () => {
    const writes = pathsFor(policyOf(parsed, "batch"), "s3:PutObject");
    expect(writes).toEqual(expect.arrayContaining(["curated/dim_customers/", "curated/dim_products/", "curated/orders/"]));
    expect(writes.some((p) => p.startsWith("raw/"))).toBe(false);
  });
});
