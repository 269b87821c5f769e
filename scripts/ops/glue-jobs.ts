/** Starting Glue job runs, waiting for them, and listing recent runs. */
import { GetJobCommand, GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand, type JobRun } from "@aws-sdk/client-glue";
import { awsCall, OpsError, type GlueApi } from "./aws";
import { pollUntil, PollTimeout, type PollOptions } from "./poll";
import { compactTable } from "../lib/compact-table";

/** States after which a run changes no more. */
export const TERMINAL_JOB_STATES: readonly string[] = ["SUCCEEDED", "FAILED", "STOPPED", "TIMEOUT", "ERROR", "EXPIRED"];

export interface JobTarget {
  readonly jobName: string;
  readonly region: string;
  /** For the "not found" hint: `lakehouse-<env>`. */
  readonly stackName: string;
}

const notFound = (t: JobTarget) =>
  `job "${t.jobName}" not found in region ${t.region}: deploy first (cdktf deploy ${t.stackName}) or pass --job-name`;

/** Starts a run and returns its id. */
export async function startJobRun(glue: GlueApi, target: JobTarget, args: Record<string, string> = {}): Promise<string> {
  const started = await awsCall({ doing: `starting Glue job ${target.jobName}`, region: target.region, notFound: notFound(target) }, async () => {
    try {
      return await glue.send(new StartJobRunCommand({ JobName: target.jobName, Arguments: Object.keys(args).length ? args : undefined }));
    } catch (error) {
      if ((error as { name?: string }).name === "ConcurrentRunsExceededException") {
        throw new OpsError(
          `starting Glue job ${target.jobName} failed: a run is already in progress and the job allows no more. Wait for it ("lakehouse job runs") and retry.`,
          { cause: error },
        );
      }
      throw error;
    }
  });
  if (!started.JobRunId) throw new OpsError(`starting Glue job ${target.jobName} returned no run id`);
  return started.JobRunId;
}

export async function getJobRun(glue: GlueApi, target: JobTarget, runId: string): Promise<JobRun> {
  const found = await awsCall({ doing: `reading run ${runId} of Glue job ${target.jobName}`, region: target.region, notFound: notFound(target) }, () =>
    glue.send(new GetJobRunCommand({ JobName: target.jobName, RunId: runId })),
  );
  if (!found.JobRun) throw new OpsError(`Glue returned no run ${runId} for job ${target.jobName}`);
  return found.JobRun;
}

export interface WaitOptions extends Omit<PollOptions, "timeoutMs"> {
  readonly timeoutSeconds: number;
  /** Called on every state change, e.g. to print progress. */
  readonly onState?: (run: JobRun) => void;
  /** Called when a failed attempt is being retried by Glue, before following the retry. */
  readonly onRetry?: (failed: JobRun, retry: JobRun) => void;
}

/**
 * Waits until the run reaches a terminal state. When an attempt FAILS and the
 * job has retries left, Glue starts a new run whose `PreviousRunId` is the
 * failed one: that retry is followed. Returns the final run, whatever its
 * state; throws an {@link OpsError} on timeout.
 */
export async function waitForJobRun(glue: GlueApi, target: JobTarget, runId: string, options: WaitOptions): Promise<JobRun> {
  let current = runId;
  let lastState: string | undefined;
  const timeoutMs = options.timeoutSeconds * 1000;
  const now = options.now ?? Date.now;
  const deadline = now() + timeoutMs;
  for (;;) {
    let run: JobRun;
    try {
      run = await pollUntil(
        async () => {
          const r = await getJobRun(glue, target, current);
          if (r.JobRunState !== lastState) {
            lastState = r.JobRunState;
            options.onState?.(r);
          }
          return r;
        },
        (r) => TERMINAL_JOB_STATES.includes(r.JobRunState ?? ""),
        { ...options, timeoutMs: Math.max(0, deadline - now()) },
      );
    } catch (error) {
      if (error instanceof PollTimeout) {
        const last = error.last as JobRun;
        throw new OpsError(
          `Glue job ${target.jobName} run ${current} is still ${last.JobRunState} after ${options.timeoutSeconds} s; ` +
            `it keeps running: follow it with "lakehouse job runs" or wait longer with --timeout`,
        );
      }
      throw error;
    }
    if (run.JobRunState !== "FAILED") return run;
    const retry = await findRetry(glue, target, run, { ...options, timeoutMs: Math.min(60_000, Math.max(0, deadline - now())) });
    if (!retry?.Id) return run;
    options.onRetry?.(run, retry);
    current = retry.Id;
    lastState = undefined;
  }
}

/**
 * The run Glue starts to retry a failed attempt, when the job has retries
 * left (`MaxRetries` > attempt). It may appear a moment after the failure, so
 * it is polled for, briefly.
 */
async function findRetry(glue: GlueApi, target: JobTarget, failed: JobRun, poll: PollOptions): Promise<JobRun | undefined> {
  const job = await awsCall({ doing: `reading Glue job ${target.jobName}`, region: target.region, notFound: notFound(target) }, () =>
    glue.send(new GetJobCommand({ JobName: target.jobName })),
  );
  if ((failed.Attempt ?? 0) >= (job.Job?.MaxRetries ?? 0)) return undefined;
  const isRetry = (r: JobRun) => r.PreviousRunId === failed.Id && r.Id !== failed.Id;
  try {
    const runs = await pollUntil(() => listJobRuns(glue, target, 20), (rs) => rs.some(isRetry), poll);
    return runs.find(isRetry);
  } catch (error) {
    if (error instanceof PollTimeout) return undefined;
    throw error;
  }
}

/** Recent runs, newest first. */
export async function listJobRuns(glue: GlueApi, target: JobTarget, limit: number): Promise<JobRun[]> {
  const found = await awsCall({ doing: `listing runs of Glue job ${target.jobName}`, region: target.region, notFound: notFound(target) }, () =>
    glue.send(new GetJobRunsCommand({ JobName: target.jobName, MaxResults: Math.min(Math.max(limit, 1), 200) })),
  );
  return [...(found.JobRuns ?? [])]
    .sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0))
    .slice(0, limit);
}

/** One line per run state change: `SUCCEEDED jr_abc after 42 s`, `FAILED jr_abc: <error>`. */
export function describeRun(run: JobRun): string {
  const terminal = TERMINAL_JOB_STATES.includes(run.JobRunState ?? "");
  const after = terminal && run.ExecutionTime !== undefined ? ` after ${run.ExecutionTime} s` : "";
  return `${run.JobRunState ?? "UNKNOWN"} ${run.Id ?? "?"}${after}${run.ErrorMessage ? `: ${run.ErrorMessage}` : ""}`;
}

/** Runs as a table: id, state, start (UTC), duration, attempt, error. */
export function formatJobRuns(runs: readonly JobRun[]): string {
  if (runs.length === 0) return "no runs yet";
  const table = compactTable(["run id", "state", "started (UTC)", "duration", "attempt", "error"]);
  for (const run of runs) {
    table.push([
      run.Id ?? "?",
      run.JobRunState ?? "?",
      run.StartedOn ? run.StartedOn.toISOString().slice(0, 19).replace("T", " ") : "-",
      run.ExecutionTime !== undefined ? `${run.ExecutionTime} s` : "-",
      String(run.Attempt ?? 0),
      truncate(run.ErrorMessage ?? "", 60),
    ]);
  }
  return table.toString();
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
