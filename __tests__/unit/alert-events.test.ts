/**
 * The alert rules select exactly the events a person must hear about, as
 * EventBridge decides: every synthesized pattern is matched with event-ruler,
 * EventBridge's own matching library, against sample events in the shapes
 * Glue documents. Failing states of each job and crawler match; successes,
 * runs in progress, other jobs and other accounts do not.
 */
import { matchEvents } from "../support/event-ruler";
import { synthStack, testConfig } from "../support/synth";

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";
const ACCOUNT_TOKEN = "${data.aws_caller_identity.current.account_id}";

/** The dev stack's rule patterns by rule name, the account filled in as Terraform would. */
function synthesizedPatterns(config = testConfig()): Record<string, unknown> {
  const { parsed } = synthStack(config);
  const rules = Object.values(parsed.resource.aws_cloudwatch_event_rule ?? {}).filter((rule) => rule.event_pattern);
  return Object.fromEntries(rules.map((rule) => [rule.name as string, JSON.parse((rule.event_pattern as string).split(ACCOUNT_TOKEN).join(ACCOUNT))]));
}

const glueEvent = (detailType: string, detail: Record<string, unknown>, account = ACCOUNT) => ({
  version: "0",
  id: "3f9e6d2a-1b7c-4e55-9a0d-2c8f1e6b4a71",
  "detail-type": detailType,
  source: "aws.glue",
  account,
  time: "2026-12-05T02:07:31Z",
  region: "eu-west-1",
  resources: [],
  detail,
});
const jobStateChange = (jobName: string, state: string, account = ACCOUNT) =>
  glueEvent("Glue Job State Change", { jobName, severity: state === "SUCCEEDED" ? "INFO" : "ERROR", state, jobRunId: "jr_0a1b2c", message: `Job run ${state}` }, account);
const jobRunStatus = (jobName: string, state: string) =>
  glueEvent("Glue Job Run Status", { jobName, severity: "WARN", notificationCondition: { NotifyDelayAfter: 15.0 }, state, jobRunId: "jr_0a1b2c", message: "Job run is running for longer than expected" });
const crawlerStateChange = (crawlerName: string, state: string) =>
  glueEvent("Glue Crawler State Change", { crawlerName, state, accountId: ACCOUNT, message: `Crawler ${state}`, errorMessage: state === "Failed" ? "Internal Service Exception" : undefined });

const JOBS = ["shoplake-dev-batch", "shoplake-dev-incremental"];
const CRAWLER = "shoplake-dev-raw-crawler";

describe("the alert rules' patterns, matched by EventBridge's own library", () => {
  const patterns = synthesizedPatterns();

  test("the dev stack has one rule for failed jobs, one for late runs and one for failed crawlers", () => {
    expect(Object.keys(patterns).sort()).toEqual(["shoplake-dev-crawler-failed", "shoplake-dev-job-failed", "shoplake-dev-job-run-late"]);
  });

  test("every failing state of each job matches the job-failed rule, and only it", () => {
    const events = Object.fromEntries(JOBS.flatMap((job) => ["FAILED", "TIMEOUT", "STOPPED"].map((state) => [`${job} ${state}`, jobStateChange(job, state)])));
    const matches = matchEvents(patterns, events);
    for (const name of Object.keys(events)) expect({ name, rules: matches[name] }).toEqual({ name, rules: ["shoplake-dev-job-failed"] });
  });

  test("a job that succeeded or is running matches no rule", () => {
    const matches = matchEvents(patterns, {
      succeeded: jobStateChange(JOBS[0], "SUCCEEDED"),
      running: jobStateChange(JOBS[1], "RUNNING"),
      starting: jobStateChange(JOBS[1], "STARTING"),
    });
    expect(matches).toEqual({ succeeded: [], running: [], starting: [] });
  });

  test("another job's failure in the account matches no rule, a name sharing our prefix included", () => {
    const matches = matchEvents(patterns, {
      other: jobStateChange("nightly-export", "FAILED"),
      samePrefix: jobStateChange("shoplake-dev-batch-copy", "FAILED"),
      otherEnvironment: jobStateChange("shoplake-prod-batch", "FAILED"),
    });
    expect(matches).toEqual({ other: [], samePrefix: [], otherEnvironment: [] });
  });

  test("our job's failure reported from another account matches no rule", () => {
    expect(matchEvents(patterns, { forwarded: jobStateChange(JOBS[0], "FAILED", OTHER_ACCOUNT) })).toEqual({ forwarded: [] });
  });

  test("a late-run notice of each job matches the job-run-late rule", () => {
    const matches = matchEvents(patterns, Object.fromEntries(JOBS.map((job) => [job, jobRunStatus(job, "RUNNING")])));
    for (const job of JOBS) expect(matches[job]).toEqual(["shoplake-dev-job-run-late"]);
  });

  test("a failed crawl matches the crawler-failed rule; a started or succeeded one, or another crawler, matches none", () => {
    const matches = matchEvents(patterns, {
      failed: crawlerStateChange(CRAWLER, "Failed"),
      started: crawlerStateChange(CRAWLER, "Started"),
      succeeded: crawlerStateChange(CRAWLER, "Succeeded"),
      other: crawlerStateChange("someone-elses-crawler", "Failed"),
    });
    expect(matches).toEqual({ failed: ["shoplake-dev-crawler-failed"], started: [], succeeded: [], other: [] });
  });
});
