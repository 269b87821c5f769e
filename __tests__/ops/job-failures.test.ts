/**
 * What moto cannot do: fail a Glue job run. A scripted Glue client plays the
 * service; the commands and waiting logic are the real ones.
 */
import { GetJobCommand, GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand, type JobRun } from "@aws-sdk/client-glue";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { OpsClients } from "../../scripts/ops/aws";
import { explainAwsError } from "../../scripts/ops/aws";
import { waitForJobRun } from "../../scripts/ops/glue-jobs";
import { pollUntil, PollTimeout } from "../../scripts/ops/poll";
import { runCli } from "../support/ops-cli";

/** A Glue client whose GetJobRun answers come from a script, one per call, per run id. */
function scriptedGlue(script: Record<string, JobRun[]>, retries: JobRun[] = [], maxRetries = 0) {
  const calls: string[] = [];
  const send = async (command: object) => {
    calls.push(command.constructor.name);
    if (command instanceof StartJobRunCommand) return { JobRunId: "jr_1" };
    if (command instanceof GetJobRunCommand) {
      const queue = script[command.input.RunId!];
      return { JobRun: queue.length > 1 ? queue.shift() : queue[0] };
    }
    if (command instanceof GetJobRunsCommand) return { JobRuns: retries };
    if (command instanceof GetJobCommand) {
      return { Job: { Name: command.input.JobName, MaxRetries: maxRetries, DefaultArguments: { "--lake_root": "s3://lake" } } };
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  };
  return { glue: { send } as unknown as OpsClients["glue"], calls };
}

const noReports = {
  send: async (command: object) => {
    if (command instanceof GetObjectCommand) throw Object.assign(new Error("missing"), { name: "NoSuchKey" });
    throw new Error("unexpected S3 call");
  },
} as unknown as OpsClients["s3"];
/** No CloudWatch call is expected of a job command. */
const noCloudWatch = {
  send: async () => {
    throw new Error("unexpected CloudWatch call");
  },
} as unknown as OpsClients["cloudwatch"];

const target = { jobName: "shoplake-dev-batch", region: "eu-west-1", stackName: "lakehouse-dev" };
const fast = { timeoutSeconds: 5, initialDelayMs: 1 };

test("a FAILED run fails the command with Glue's error message", async () => {
  const { glue } = scriptedGlue({
    jr_1: [
      { Id: "jr_1", JobRunState: "RUNNING" },
      { Id: "jr_1", JobRunState: "FAILED", ErrorMessage: "AnalysisException: Path does not exist: s3://lake/raw/orders", LogGroupName: "/aws-glue/jobs" },
    ],
  });
  const run = await runCli(["job", "start", "batch", "--wait", "--poll-ms", "1"], { clients: () => ({ glue, s3: noReports, cloudwatch: noCloudWatch }) });

  expect(run.error?.message).toMatch(/^Glue job shoplake-dev-batch run jr_1 ended FAILED: AnalysisException: Path does not exist: s3:\/\/lake\/raw\/orders\. Logs: CloudWatch \/aws-glue\/jobs/);
  expect(run.out).toContain("  FAILED jr_1");
});

test("a failed attempt that Glue retries is followed to the retry's outcome", async () => {
  const { glue } = scriptedGlue(
    {
      jr_1: [{ Id: "jr_1", Attempt: 0, JobRunState: "FAILED", ErrorMessage: "executor lost" }],
      jr_1_attempt_1: [
        { Id: "jr_1_attempt_1", JobRunState: "RUNNING", PreviousRunId: "jr_1" },
        { Id: "jr_1_attempt_1", JobRunState: "SUCCEEDED", PreviousRunId: "jr_1" },
      ],
    },
    [{ Id: "jr_1_attempt_1", PreviousRunId: "jr_1", JobRunState: "RUNNING" }],
    1,
  );
  const states: string[] = [];
  const final = await waitForJobRun(glue, target, "jr_1", {
    ...fast,
    onState: (r) => states.push(`${r.Id} ${r.JobRunState}`),
    onRetry: (failed, retry) => states.push(`${failed.Id} retried as ${retry.Id}`),
  });

  expect(final.Id).toBe("jr_1_attempt_1");
  expect(final.JobRunState).toBe("SUCCEEDED");
  expect(states).toEqual(["jr_1 FAILED", "jr_1 retried as jr_1_attempt_1", "jr_1_attempt_1 RUNNING", "jr_1_attempt_1 SUCCEEDED"]);
});

test("a failed last attempt is final: no retry is waited for", async () => {
  const { glue, calls } = scriptedGlue({ jr_1: [{ Id: "jr_1", Attempt: 1, JobRunState: "FAILED", ErrorMessage: "boom" }] }, [], 1);
  const final = await waitForJobRun(glue, target, "jr_1", fast);

  expect(final.JobRunState).toBe("FAILED");
  expect(calls).not.toContain("GetJobRunsCommand");
});

test("a run still going at the timeout fails with what to do next", async () => {
  const { glue } = scriptedGlue({ jr_1: [{ Id: "jr_1", JobRunState: "RUNNING" }] });
  await expect(waitForJobRun(glue, target, "jr_1", { timeoutSeconds: 0.05, initialDelayMs: 5 })).rejects.toThrow(
    /run jr_1 is still RUNNING after 0.05 s; it keeps running: follow it with "lakehouse job runs" or wait longer with --timeout/,
  );
});

describe("backoff", () => {
  test("waits grow by the factor up to the cap, and the first check is immediate", async () => {
    const waits: number[] = [];
    let checks = 0;
    await pollUntil(
      async () => ++checks,
      (n) => n === 6,
      { timeoutMs: 1e9, initialDelayMs: 1000, factor: 2, maxDelayMs: 5000, sleep: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  test("never sleeps past the deadline and reports the last value on timeout", async () => {
    let clock = 0;
    const waits: number[] = [];
    const polling = pollUntil(async () => "RUNNING", () => false, {
      timeoutMs: 2500,
      initialDelayMs: 1000,
      factor: 2,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await expect(polling).rejects.toBeInstanceOf(PollTimeout);
    await expect(polling).rejects.toMatchObject({ last: "RUNNING", waitedMs: 2500 });
    expect(waits).toEqual([1000, 1500]);
  });
});

describe("error messages", () => {
  const context = { doing: "starting Glue job x", region: "eu-west-1" };

  test("expired sessions ask to log in again", () => {
    const error = Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredTokenException" });
    expect(explainAwsError(error, context).message).toBe('starting Glue job x failed: the AWS session has expired. Log in again (e.g. "aws sso login") and retry.');
  });

  test("access denied says permission is missing in which region", () => {
    const error = Object.assign(new Error("not authorized to perform: glue:StartJobRun"), { name: "AccessDeniedException" });
    expect(explainAwsError(error, context).message).toMatch(/^starting Glue job x failed: access denied in eu-west-1\. .*glue:StartJobRun/);
  });

  test("an unreachable endpoint points at the network, region and AWS_ENDPOINT_URL", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(explainAwsError(error, context).message).toMatch(/could not reach the AWS endpoint \(ECONNREFUSED\).*AWS_ENDPOINT_URL/);
  });
});
