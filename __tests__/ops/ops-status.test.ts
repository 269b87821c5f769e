/**
 * `lakehouse ops status` against a moto server: the SDK clients the CLI
 * builds reach moto only through AWS_ENDPOINT_URL, as an operator's would
 * reach AWS. Jobs, runs, alarms and feed files are made with the SDK first.
 */
import { PutMetricAlarmCommand, SetAlarmStateCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CreateJobCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { formatAge } from "../../scripts/ops/status";
import { runCli } from "../support/ops-cli";
import { DUMMY_CREDENTIALS, TEST_REGION, useMotoServer } from "../support/moto-server";
import { SAMPLE_REPORT } from "../support/quality-report-sample";

const moto = useMotoServer();
const BUCKET = "shoplake-dev-lake-123456789012";
const ROLE = "arn:aws:iam::123456789012:role/shoplake-dev-batch-job";

const savedEnv = { ...process.env };
beforeAll(() => {
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey });
});
afterAll(() => {
  process.env = savedEnv;
});

let batchRunId: string;
beforeEach(async () => {
  const glue = new GlueClient(moto.clientConfig());
  const s3 = new S3Client(moto.clientConfig({ forcePathStyle: true }));
  const cloudwatch = new CloudWatchClient(moto.clientConfig());
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  for (const job of ["batch", "incremental"]) {
    await glue.send(
      new CreateJobCommand({
        Name: `shoplake-dev-${job}`,
        Role: ROLE,
        GlueVersion: "5.0",
        Command: { Name: "glueetl", ScriptLocation: `s3://${BUCKET}/_system/scripts/${job}_job.py`, PythonVersion: "3" },
        DefaultArguments: { "--lake_root": `s3://${BUCKET}` },
      }),
    );
  }
  batchRunId = (await glue.send(new StartJobRunCommand({ JobName: "shoplake-dev-batch" }))).JobRunId!;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quality_reports/batch/${batchRunId}.json`, Body: JSON.stringify({ ...SAMPLE_REPORT, run_id: batchRunId }) }));
  for (const key of ["dt=2026-12-03/20261203T230000000Z-a.json", "dt=2026-12-04/20261204T010000000Z-b.json", "dt=2026-12-04/20261204T020000000Z-c.json"]) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `raw/orders_incremental/${key}`, Body: "{}\n" }));
  }
  const alarm = (name: string) =>
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: "AWS/Lambda",
      MetricName: "Errors",
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  await cloudwatch.send(alarm("shoplake-dev-generator-errors"));
  await cloudwatch.send(alarm("shoplake-dev-generator-throttles"));
  await cloudwatch.send(alarm("other-estate-dev-errors"));
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "shoplake-dev-generator-errors", StateValue: "ALARM", StateReason: "1 error in 5 minutes" }));
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "shoplake-dev-generator-throttles", StateValue: "OK", StateReason: "no throttles" }));
});

describe("lakehouse ops status", () => {
  test("shows each job's last run with the rows its quality report counts, and a job that never ran", async () => {
    const run = await runCli(["ops", "status", "--env", "dev"]);
    expect(run.error).toBeUndefined();
    expect(run.out).toMatch(/^dev \(eu-west-1\)$/m);
    expect(run.out).toMatch(new RegExp(`shoplake-dev-batch\\s+│ ${batchRunId} │ SUCCEEDED │ [0-9-]+ [0-9:]+ │ \\d+ s\\s+│ 1200\\s+│ 1160\\s+│ 30\\s+│ 10\\s+│`));
    expect(run.out).toMatch(/shoplake-dev-incremental\s+│ never ran\s+│ -/);
  });

  test("shows the environment's alarms with their states, a firing one with its reason, and no other estate's", async () => {
    const run = await runCli(["ops", "status", "--env", "dev"]);
    expect(run.out).toMatch(/^ {2}ALARM {13}shoplake-dev-generator-errors: 1 error in 5 minutes$/m);
    expect(run.out).toMatch(/^ {2}OK {16}shoplake-dev-generator-throttles$/m);
    expect(run.out).not.toContain("other-estate");
  });

  test("shows the newest feed file and its age, found in the last day folder", async () => {
    const run = await runCli(["ops", "status", "--env", "dev"]);
    expect(run.out).toMatch(new RegExp(`^ {2}newest file \\d+ s old: s3://${BUCKET}/raw/orders_incremental/dt=2026-12-04/20261204T020000000Z-c\\.json$`, "m"));
  });

  test("without --env, every environment is shown; one that cannot be read says why and fails the command, the others still shown", async () => {
    const run = await runCli(["ops", "status"]);
    expect(run.out).toMatch(/^dev \(eu-west-1\)$/m);
    // prod is not deployed on this server: its first call names the job and what to do.
    expect(run.out).toMatch(/^prod \(eu-west-1\): cannot read its status: job "shoplake-prod-batch" not found in region eu-west-1: deploy first/m);
    expect(run.error?.message).toBe("could not read the status of prod (said above)");
  });
});

describe("ages as a person reads them", () => {
  test.each([
    [42, "42 s"],
    [17 * 60, "17 min"],
    [3.5 * 3600, "3.5 h"],
    [2.1 * 86_400, "2.1 days"],
  ])("%d seconds read %s", (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});
