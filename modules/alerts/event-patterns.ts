/**
 * The EventBridge side of the pipeline's alerts, as plain data: which Glue
 * events a person is told about, the patterns that select them, and the
 * message each becomes. One owner for the event shapes (field names as Glue
 * sends them), read by the construct that deploys the rules and by the tests
 * that run the patterns through EventBridge's own matcher (event-ruler).
 *
 * Glue sends, on the account's default bus:
 * - `Glue Job State Change` when a run ends: `SUCCEEDED`, `FAILED`, `TIMEOUT`, `STOPPED`;
 * - `Glue Job Run Status` when a run is still `STARTING`, `RUNNING` or `STOPPING`
 *   after the job's `notification_property.notify_delay_after` minutes;
 * - `Glue Crawler State Change` for `Started`, `Succeeded` and `Failed`.
 */

/** Job run states that end a run without its data: each reaches a person. */
export const FAILED_JOB_STATES = ["FAILED", "TIMEOUT", "STOPPED"] as const;
/** Crawler states that reach a person. */
export const FAILED_CRAWLER_STATES = ["Failed"] as const;

/** EventBridge's default limit on the characters of one rule's pattern (adjustable to 4096; we stay under the default). */
export const EVENT_PATTERN_LIMIT = 2048;

/** The events that reach a person, by what they are about. */
export type PipelineEventKind = "job-failed" | "job-run-late" | "crawler-failed";

/** An EventBridge event pattern. */
export type EventPattern = Record<string, unknown>;

const DETAIL_TYPES: Record<PipelineEventKind, string> = {
  "job-failed": "Glue Job State Change",
  "job-run-late": "Glue Job Run Status",
  "crawler-failed": "Glue Crawler State Change",
};

/**
 * The pattern of one kind of event for these jobs or crawlers of this account:
 * exact names, so no other job or crawler in the account matches, and the
 * account, so an event forwarded from another account's bus does not either.
 */
export function pipelineEventPattern(kind: PipelineEventKind, accountId: string, names: readonly string[]): EventPattern {
  const detail: Record<string, unknown> =
    kind === "crawler-failed"
      ? { crawlerName: [...names], state: [...FAILED_CRAWLER_STATES] }
      : kind === "job-failed"
        ? { jobName: [...names], state: [...FAILED_JOB_STATES] }
        : { jobName: [...names] };
  return { source: ["aws.glue"], account: [accountId], "detail-type": [DETAIL_TYPES[kind]], detail };
}

/**
 * The names split into groups whose patterns each fit {@link EVENT_PATTERN_LIMIT},
 * in order: one group for any estate up to hundreds of jobs, more beyond.
 */
export function patternGroups(kind: PipelineEventKind, accountId: string, names: readonly string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const name of names) {
    const next = [...current, name];
    if (current.length > 0 && JSON.stringify(pipelineEventPattern(kind, accountId, next)).length > EVENT_PATTERN_LIMIT) {
      groups.push(current);
      current = [name];
    } else {
      current = next;
    }
  }
  if (current.length > 0) groups.push(current);
  for (const group of groups) {
    if (JSON.stringify(pipelineEventPattern(kind, accountId, group)).length > EVENT_PATTERN_LIMIT) {
      throw new Error(`the ${kind} event pattern for ${group[0]} alone exceeds EventBridge's ${EVENT_PATTERN_LIMIT} characters; shorten project.prefix`);
    }
  }
  return groups;
}

/** What an alert message says, filled by EventBridge from the event (an input transformer). */
export interface AlertMessage {
  /** JSON paths into the event, by the placeholder names the template uses. */
  readonly inputPaths: Record<string, string>;
  /** The message, a JSON string with `<placeholder>`s. */
  readonly inputTemplate: string;
}

/**
 * The message a person reads for one kind of event: the environment, what
 * failed, the run, its state, Glue's own message and the console page to open.
 * `jobRunHint` ends a job's message; it may name `<job>` and `<runId>` too.
 */
export function alertMessage(kind: PipelineEventKind, environment: string, region: string, jobRunHint?: string): AlertMessage {
  const console = `https://${region}.console.aws.amazon.com/gluestudio/home?region=${region}`;
  if (kind === "crawler-failed") {
    return {
      inputPaths: { crawler: "$.detail.crawlerName", state: "$.detail.state", message: "$.detail.errorMessage", time: "$.time" },
      inputTemplate: JSON.stringify(
        `[${environment}] Glue crawler <crawler> ended <state> at <time>: <message>. ` +
          `Check the crawler's log in CloudWatch (log group /aws-glue/crawlers) and ${region}'s console: https://${region}.console.aws.amazon.com/glue/home?region=${region}#/v2/data-catalog/crawlers/view/<crawler>`,
      ),
    };
  }
  const what = kind === "job-failed" ? "ended <state>" : "is still <state> after its expected duration";
  return {
    inputPaths: { job: "$.detail.jobName", runId: "$.detail.jobRunId", state: "$.detail.state", message: "$.detail.message", time: "$.time" },
    inputTemplate: JSON.stringify(
      `[${environment}] Glue job <job> run <runId> ${what} at <time>: <message>. ` +
        `Open the run: ${console}#/job/<job>/run/<runId>${jobRunHint ? ` ; ${jobRunHint}` : ""}`,
    ),
  };
}
