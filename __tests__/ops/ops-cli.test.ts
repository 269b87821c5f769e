/**
 * The ops commands against a moto server. The CLI builds its own SDK clients;
 * they reach moto only through AWS_ENDPOINT_URL, which is what is verified.
 */
import { CreateCrawlerCommand, CreateDatabaseCommand, CreateJobCommand, GlueClient, StartJobRunCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { awsClients, type OpsClients } from "../../scripts/ops/aws";
import { main } from "../../scripts/cli/main";
import { runCli } from "../support/ops-cli";
import { DUMMY_CREDENTIALS, TEST_REGION, useMotoServer } from "../support/moto-server";
import { SAMPLE_REPORT as REPORT } from "../support/quality-report-sample";

const moto = useMotoServer();
const BUCKET = "shoplake-dev-lake-123456789012";
const JOB = "shoplake-dev-batch";
const CRAWLER = "shoplake-dev-raw-crawler";
const ROLE = "arn:aws:iam::123456789012:role/shoplake-dev-batch-job";
const FAST = ["--poll-ms", "10"];


const savedEnv = { ...process.env };
let glue: GlueClient;
let s3: S3Client;

beforeAll(() => {
  // What an operator's shell would hold; no AWS_PROFILE, no real credentials.
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
  });
});
afterAll(() => {
  process.env = savedEnv;
});

beforeEach(async () => {
  glue = new GlueClient(moto.clientConfig());
  s3 = new S3Client(moto.clientConfig({ forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  await createJob(JOB, { "--lake_root": `s3://${BUCKET}` });
});

function createJob(name: string, defaultArguments: Record<string, string>) {
  return glue.send(
    new CreateJobCommand({
      Name: name,
      Role: ROLE,
      GlueVersion: "5.0",
      Command: { Name: "glueetl", ScriptLocation: `s3://${BUCKET}/_system/scripts/batch_job.py`, PythonVersion: "3" },
      DefaultArguments: defaultArguments,
    }),
  );
}

/** Real clients (endpoint from the environment) that seed a quality report for each run the CLI starts. */
function clientsSeedingReport(report: unknown = REPORT, bucket = BUCKET): (region: string) => OpsClients {
  return (region) => {
    const real = awsClients(region);
    return {
      ...real,
      glue: {
        send: (async (command: any) => {
          const output = await real.glue.send(command);
          if (command instanceof StartJobRunCommand) {
            const key = `quality_reports/batch/${(output as { JobRunId: string }).JobRunId}.json`;
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(report) }));
          }
          return output;
        }) as OpsClients["glue"]["send"],
      },
    };
  };
}

describe("lakehouse job start", () => {
  test("--wait follows the run to SUCCEEDED and prints its quality report", async () => {
    const run = await runCli(["job", "start", "batch", "--wait", ...FAST], { clients: clientsSeedingReport() });

    expect(run.error).toBeUndefined();
    expect(run.out).toMatch(/started shoplake-dev-batch run jr_[0-9a-f]+/);
    expect(run.out).toMatch(/shoplake-dev-batch run jr_[0-9a-f]+ SUCCEEDED/);
    expect(run.out).toContain(`quality report s3://${BUCKET}/quality_reports/batch/jr_`);
    expect(run.out).toMatch(/orders\s*│\s*3\s*│\s*1000\s*│\s*960\s*│\s*30\s*│\s*10/);
    expect(run.out).toContain("not_positive:quantity: 12");
    expect(run.out).toContain("unknown_customer_id: 18");
    expect(run.out).toContain("counts add up");
  });

  test("--wait prints each state the run passes through", async () => {
    await moto.setTransition("glue::job_run", { progression: "manual", times: 2 });
    const run = await runCli(["job", "start", "batch", "--wait", ...FAST], { clients: clientsSeedingReport() });

    expect(run.error).toBeUndefined();
    const states = [...run.out.matchAll(/^ {2}(STARTING|RUNNING|SUCCEEDED) /gm)].map((m) => m[1]);
    expect(states).toEqual(["STARTING", "RUNNING", "SUCCEEDED"]);
  });

  test("a missing job says so, names the region and suggests deploying or --job-name", async () => {
    const run = await runCli(["job", "start", "batch", "--job-name", "no-such-job", "--wait", ...FAST]);

    expect(run.error?.message).toBe(
      'job "no-such-job" not found in region eu-west-1: deploy first (cdktf deploy lakehouse-dev) or pass --job-name',
    );
  });

  test("the lakehouse CLI exits non-zero with that message", async () => {
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const logs = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await main(["node", "lakehouse", "job", "start", "incremental"]);
      expect(process.exitCode).toBe(1);
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^lakehouse: job "shoplake-dev-incremental" not found in region eu-west-1/));
    } finally {
      process.exitCode = undefined;
      errors.mockRestore();
      logs.mockRestore();
    }
  });

  test("without --wait it prints the run id and how to follow it", async () => {
    const run = await runCli(["job", "start", "batch"]);

    expect(run.error).toBeUndefined();
    expect(run.out).toMatch(/started shoplake-dev-batch run jr_[0-9a-f]+\nfollow it with: lakehouse job runs batch/);
  });

  test("without --lake_root on the job, the bucket follows the naming convention with the catalog's account", async () => {
    await createJob("shoplake-dev-bare", {});
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: "shoplake_dev_lake" } }));
    const run = await runCli(["job", "start", "batch", "--job-name", "shoplake-dev-bare", "--wait", ...FAST], { clients: clientsSeedingReport() });

    expect(run.error).toBeUndefined();
    expect(run.out).toContain(`quality report s3://${BUCKET}/quality_reports/batch/`);
  });

  test("a run without a report succeeds with a warning naming where the report should be", async () => {
    const run = await runCli(["job", "start", "batch", "--wait", ...FAST]);

    expect(run.error).toBeUndefined();
    expect(run.err).toMatch(new RegExp(`warning: no quality report at s3://${BUCKET}/quality_reports/batch/jr_[0-9a-f]+\\.json`));
  });

  test("a report not in the report format fails the command naming the field", async () => {
    const { job_name: _dropped, ...withoutJobName } = REPORT;
    const run = await runCli(["job", "start", "batch", "--wait", ...FAST], { clients: clientsSeedingReport(withoutJobName) });

    expect(run.error?.message).toMatch(/quality report s3:\/\/.+ is not in the report format \(docs\/quality-report\.schema\.json\): job_name: /);
  });

  test("a report whose counts do not add up fails the command", async () => {
    const broken = { ...REPORT, totals: { ...REPORT.totals, rows_written: 1100 } };
    const run = await runCli(["job", "start", "batch", "--wait", ...FAST], { clients: clientsSeedingReport(broken) });

    expect(run.out).toContain("COUNTS DO NOT ADD UP");
    expect(run.error?.message).toMatch(/does not add up \(total: read 1200 != written 1100 \+ quarantined 30 \+ duplicates 10\)/);
  });
});

describe("lakehouse job runs", () => {
  test("shows the most recent runs as a table, limited by --limit", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await glue.send(new StartJobRunCommand({ JobName: JOB }))).JobRunId!);
    const run = await runCli(["job", "runs", "batch", "--limit", "2"]);

    expect(run.error).toBeUndefined();
    expect(run.out).toContain("shoplake-dev-batch in eu-west-1");
    expect(run.out).toMatch(/run id\s*│\s*state\s*│\s*started \(UTC\)/);
    expect(ids.filter((id) => run.out.includes(id))).toHaveLength(2);
    expect(run.out).toContain("SUCCEEDED");
  });

  test("a job without runs says so", async () => {
    const run = await runCli(["job", "runs", "batch"]);
    expect(run.out).toContain("no runs yet");
  });
});

describe("lakehouse crawl", () => {
  beforeEach(async () => {
    await glue.send(
      new CreateCrawlerCommand({ Name: CRAWLER, Role: ROLE, DatabaseName: "shoplake_dev_lake", Targets: { S3Targets: [{ Path: `s3://${BUCKET}/raw/orders/` }] } }),
    );
  });

  test("starts the raw crawler from the config's naming and reports the finished crawl", async () => {
    await moto.setTransition("glue::crawl", { progression: "immediate" });
    const run = await runCli(["crawl", ...FAST]);

    expect(run.error).toBeUndefined();
    expect(run.out).toContain("starting crawler shoplake-dev-raw-crawler in eu-west-1");
    expect(run.out).toMatch(/crawler shoplake-dev-raw-crawler finished: (SUCCEEDED|COMPLETED)/);
  });

  test("waits while the crawl is RUNNING, until the crawler is READY again", async () => {
    await moto.setTransition("glue::crawl", { progression: "time", seconds: 1 });
    const run = await runCli(["crawl", ...FAST]);

    expect(run.error).toBeUndefined();
    expect(run.out).toMatch(/ {2}RUNNING\n(.|\n)* {2}READY/);
  });

  test("gives up after --timeout with what to do next", async () => {
    await moto.setTransition("glue::crawl", { progression: "manual", times: 1_000_000 });
    const run = await runCli(["crawl", "--timeout", "1", ...FAST]);

    expect(run.error?.message).toMatch(/^crawler shoplake-dev-raw-crawler is still RUNNING after 1 s; .*--timeout/);
  });

  test("a missing crawler suggests deploying or --crawler", async () => {
    const run = await runCli(["crawl", "--crawler", "nope", ...FAST]);
    expect(run.error?.message).toBe('crawler "nope" not found in region eu-west-1: deploy first (cdktf deploy lakehouse-dev) or pass --crawler');
  });
});

describe("credentials and help", () => {
  test("no credentials at all asks for AWS_PROFILE or access keys", async () => {
    const saved = { ...process.env };
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) {
      delete process.env[name];
    }
    Object.assign(process.env, {
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    try {
      const run = await runCli(["job", "runs", "batch"]);
      expect(run.error?.message).toMatch(/^listing runs of Glue job shoplake-dev-batch failed: no AWS credentials found\. Set AWS_PROFILE/);
    } finally {
      process.env = saved;
    }
  });

  test.each([
    [["job", "start", "--help"], ["--wait", "--timeout", "--job-name", "--bucket", "--env", "batch", "incremental"]],
    [["job", "runs", "--help"], ["--limit", "--job-name", "--env"]],
    [["crawl", "--help"], ["--crawler", "--timeout", "--env"]],
  ])("%j documents its options", async (args, expected) => {
    const run = await runCli(args);
    expect((run.error as { code?: string }).code).toBe("commander.helpDisplayed");
    for (const text of expected) expect(run.out).toContain(text);
  });
});
