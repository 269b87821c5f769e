import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { lambdaBundleSync } from "../../scripts/bundle/lambda-bundle";
import { onlyResource, PARTITION, resourcesOfType, synthStack, testConfig } from "../support/synth";

type Stack = ReturnType<typeof synthStack>["parsed"];
const LOG_GROUP = "/aws/lambda/shoplake-dev-order-generator";

/** The logical name of the resource of a type matching `where` (the only one when omitted). */
function logicalName(stack: Stack, type: string, where: (r: Record<string, any>) => boolean = () => true): string {
  const found = Object.entries(stack.resource[type] ?? {}).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0][0];
}
const ref = (type: string, stack: Stack, attribute: string, where?: (r: Record<string, any>) => boolean) =>
  `\${${type}.${logicalName(stack, type, where)}.${attribute}}`;
const isOurLogGroup = (r: Record<string, any>) => r.name === LOG_GROUP;
/** The generator's schedule: the only rule with a schedule (the alerts' rules match events instead). */
const isSchedule = (r: Record<string, any>) => r.schedule_expression !== undefined;
/** Only rules with a schedule; the alerts' event-pattern rules are tested in alerts.test.ts. */
const scheduleRules = (stack: Stack) => resourcesOfType(stack, "aws_cloudwatch_event_rule").filter(isSchedule);
const targetsOf = (stack: Stack, arn: string) => resourcesOfType(stack, "aws_cloudwatch_event_target").filter((t) => t.arn === arn);

describe("order ingestion in the stack", () => {
  const { parsed } = synthStack();
  const fn = onlyResource(parsed, "aws_lambda_function");

  test("the generator runs on Node.js 22, arm64, 128 MB, 30 s, with two reserved executions", () => {
    expect(fn).toMatchObject({
      function_name: "shoplake-dev-order-generator",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: 128,
      timeout: 30,
      reserved_concurrent_executions: 2,
    });
  });

  test("its code is the deterministic zip: relative asset path and base64 sha256 as source_code_hash", () => {
    const bundle = lambdaBundleSync();
    const digest = createHash("sha256").update(readFileSync(bundle.zipPath)).digest("base64");
    expect(fn.source_code_hash).toBe(digest);
    expect(fn.filename).toMatch(/^assets\/[^/]+\/[0-9A-F]{32}\/generator\.zip$/);
  });

  test("its environment names the bucket, the feed folder and the config's volume and dirt", () => {
    expect(fn.environment.variables).toMatchObject({
      LAKE_BUCKET: ref("aws_s3_bucket", parsed, "bucket"),
      RAW_PREFIX: "raw/orders_incremental/",
      ORDERS_PER_INVOCATION: "50",
      DIRTY_RATE: "0",
    });
  });

  test("a log group /aws/lambda/<name> with 14 days retention exists before the function", () => {
    const name = logicalName(parsed, "aws_cloudwatch_log_group", isOurLogGroup);
    expect(parsed.resource.aws_cloudwatch_log_group[name].retention_in_days).toBe(14);
    expect(fn.depends_on).toEqual([`aws_cloudwatch_log_group.${name}`]);
    expect(fn.logging_config.log_group).toBe(ref("aws_cloudwatch_log_group", parsed, "name", isOurLogGroup));
  });

  test("the role's only S3 action is PutObject under raw/orders_incremental/, plus its own log streams", () => {
    const role = resourcesOfType(parsed, "aws_iam_role").find((r) => r.name === "shoplake-dev-order-generator")!;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "lambda.amazonaws.com" });
    const policy = resourcesOfType(parsed, "aws_iam_role_policy").find((p) => p.name === "shoplake-dev-order-generator-least-privilege")!;
    const statements = JSON.parse(policy.policy).Statement;
    const bucketArn = `arn:${PARTITION}:s3:::shoplake-dev-lake-\${data.aws_caller_identity.current.account_id}`;
    expect(statements).toEqual([
      { Sid: "WriteIncrementalOrders", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn}/raw/orders_incremental/*`] },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${ref("aws_cloudwatch_log_group", parsed, "arn", isOurLogGroup)}:*`],
      },
    ]);
  });

  test("an EventBridge rule on the config's schedule targets the function, which lets only that rule invoke it", () => {
    const rules = scheduleRules(parsed);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ schedule_expression: "rate(1 hour)", state: "ENABLED" });
    const functionArn = ref("aws_lambda_function", parsed, "arn");
    expect(targetsOf(parsed, functionArn)).toEqual([
      expect.objectContaining({ rule: ref("aws_cloudwatch_event_rule", parsed, "name", isSchedule), arn: functionArn }),
    ]);
    expect(onlyResource(parsed, "aws_lambda_permission")).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      function_name: ref("aws_lambda_function", parsed, "function_name"),
      source_arn: ref("aws_cloudwatch_event_rule", parsed, "arn", isSchedule),
    });
  });

  test("the stack outputs the function name", () => {
    expect(parsed.output!.ingestion_function_name.value).toBe(ref("aws_lambda_function", parsed, "function_name"));
  });
});

describe("ingestion config", () => {
  test("enabled: false drops the schedule but keeps the function for manual runs", () => {
    const { parsed } = synthStack(testConfig((c) => (c.ingestion = { enabled: false })));
    expect(resourcesOfType(parsed, "aws_lambda_function")).toHaveLength(1);
    expect(scheduleRules(parsed)).toEqual([]);
    expect(targetsOf(parsed, ref("aws_lambda_function", parsed, "arn"))).toEqual([]);
    expect(parsed.resource.aws_lambda_permission).toBeUndefined();
  });

  test("schedule, volume and dirty rate follow the config", () => {
    const { parsed } = synthStack(testConfig((c) => (c.ingestion = { schedule: "rate(15 minutes)", ordersPerInvocation: 200, dirtyRate: 0.05 })));
    expect(scheduleRules(parsed).map((r) => r.schedule_expression)).toEqual(["rate(15 minutes)"]);
    expect(onlyResource(parsed, "aws_lambda_function").environment.variables).toMatchObject({ ORDERS_PER_INVOCATION: "200", DIRTY_RATE: "0.05" });
  });

  test("with a KMS key the role may also create data keys with that key", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { parsed } = synthStack(testConfig((c) => (c.storage = { kmsKeyArn })));
    const policy = resourcesOfType(parsed, "aws_iam_role_policy").find((p) => p.name === "shoplake-dev-order-generator-least-privilege")!;
    expect(JSON.parse(policy.policy).Statement).toContainEqual({
      Sid: "WriteIncrementalOrdersKms",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": "s3.${data.aws_region.aws-region.region}.amazonaws.com" } },
    });
  });

  test("reserved concurrency defaults to 2 and null removes the reservation", () => {
    expect(onlyResource(synthStack().parsed, "aws_lambda_function").reserved_concurrent_executions).toBe(2);
    const { parsed } = synthStack(testConfig((c) => (c.ingestion = { reservedConcurrency: null })));
    expect(onlyResource(parsed, "aws_lambda_function").reserved_concurrent_executions).toBeUndefined();
  });

  test("with a KMS key the log group is encrypted with it", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { parsed } = synthStack(testConfig((c) => (c.storage = { kmsKeyArn })));
    expect(onlyResource(parsed, "aws_cloudwatch_log_group").kms_key_id).toBe(kmsKeyArn);
  });

  test("a config without an incremental feed deploys no generator", () => {
    const { parsed } = synthStack(testConfig((c) => c.datasets.forEach((d) => delete d.incremental)));
    expect(parsed.resource.aws_lambda_function).toBeUndefined();
    expect(parsed.output!.ingestion_function_name).toBeUndefined();
  });
});
