/**
 * `lakehouse ops status`: how one deployed environment is doing, from the AWS
 * APIs alone. For each of its Glue jobs the last run (state, when, how long,
 * and, from its quality report, the rows it read, curated, quarantined and
 * dropped as duplicates); the state of each of its CloudWatch alarms; and how
 * old the newest file of the order feed is.
 */
import { DescribeAlarmsCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { incrementalDatasets, lakeJobs, resourcePrefix, ZONES } from "../../modules/config/naming";
import { compactTable } from "../lib/compact-table";
import { awsCall, type CloudWatchApi, type OpsClients, type S3Api } from "./aws";
import { listJobRuns } from "./glue-jobs";
import { fetchQualityReport } from "./quality-report";
import { jobNameOf, lakeOf, type Environment, type LakeLocation } from "./targets";

export interface JobStatus {
  readonly jobName: string;
  /** The last run's state; undefined when the job never ran. */
  readonly state?: string;
  readonly runId?: string;
  readonly startedOn?: Date;
  readonly seconds?: number;
  readonly error?: string;
  /** From the last run's quality report, when it wrote one. */
  readonly rows?: { read: number; written: number; quarantined: number; duplicates: number };
}

export interface AlarmStatus {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
}

export interface FeedStatus {
  /** `s3://<bucket>/raw/<folder>/`. */
  readonly location: string;
  /** The newest file; undefined when the feed wrote none. */
  readonly newestKey?: string;
  readonly ageSeconds?: number;
}

export interface EnvironmentStatus {
  readonly environment: string;
  readonly region: string;
  readonly jobs: readonly JobStatus[];
  readonly alarms: readonly AlarmStatus[];
  /** The order feed's folder; undefined without an incremental dataset. */
  readonly feed?: FeedStatus;
}

/** Reads the status of one environment; `now` dates the feed's age. */
export async function environmentStatus(clients: OpsClients, target: Environment, now: Date = new Date()): Promise<EnvironmentStatus> {
  let lake: LakeLocation | undefined;
  const jobs: JobStatus[] = [];
  for (const job of lakeJobs(target.config)) {
    const jobName = jobNameOf(target, job.id);
    const [last] = await listJobRuns(clients.glue, { jobName, region: target.region, stackName: `lakehouse-${target.environment}` }, 1);
    if (!last) {
      jobs.push({ jobName });
      continue;
    }
    lake ??= await lakeOf(clients.glue, target, jobName);
    const report = last.JobRunState === "SUCCEEDED" && last.Id ? await fetchQualityReport(clients.s3, lake, job.id, last.Id, target.region) : undefined;
    const totals = report?.report.totals;
    jobs.push({
      jobName,
      state: last.JobRunState,
      runId: last.Id,
      startedOn: last.StartedOn,
      seconds: last.ExecutionTime,
      error: last.ErrorMessage,
      rows: totals && { read: totals.rows_read, written: totals.rows_written, quarantined: totals.rows_quarantined, duplicates: totals.duplicates_dropped },
    });
  }
  const alarms = await alarmsOf(clients.cloudwatch, `${resourcePrefix(target.config, target.environment)}-`, target.region);
  const feedDataset = incrementalDatasets(target.config)[0];
  let feed: FeedStatus | undefined;
  if (feedDataset?.incremental) {
    lake ??= await lakeOf(clients.glue, target, jobNameOf(target, lakeJobs(target.config)[0].id));
    feed = await feedStatus(clients.s3, lake, `${ZONES.raw}${feedDataset.incremental.rawFolder}/`, target.region, now);
  }
  return { environment: target.environment, region: target.region, jobs, alarms, feed };
}

/** Every alarm whose name starts with the environment's stem, by name. */
async function alarmsOf(cloudwatch: CloudWatchApi, namePrefix: string, region: string): Promise<AlarmStatus[]> {
  const alarms: MetricAlarm[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall({ doing: `listing CloudWatch alarms ${namePrefix}*`, region }, () =>
      cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: namePrefix, NextToken: token })),
    );
    alarms.push(...(page.MetricAlarms ?? []));
    token = page.NextToken;
  } while (token);
  return alarms
    .map((a) => ({ name: a.AlarmName ?? "?", state: a.StateValue ?? "?", reason: a.StateReason ?? "" }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The newest file under the feed's folder. The generator writes
 * `dt=<UTC day>/<time>-<id>.json`, so the newest is in the last day folder:
 * one listing of the day folders, one of the last day, however long the feed ran.
 */
async function feedStatus(s3: S3Api, lake: LakeLocation, folder: string, region: string, now: Date): Promise<FeedStatus> {
  const prefix = `${lake.prefix}${folder}`;
  const location = `s3://${lake.bucket}/${prefix}`;
  const list = (params: { Prefix: string; Delimiter?: string; ContinuationToken?: string }) =>
    awsCall({ doing: `listing ${location}`, region }, () => s3.send(new ListObjectsV2Command({ Bucket: lake.bucket, ...params })));
  let days: string[] = [];
  let token: string | undefined;
  do {
    const page = await list({ Prefix: prefix, Delimiter: "/", ContinuationToken: token });
    days = days.concat((page.CommonPrefixes ?? []).map((p) => p.Prefix ?? "").filter(Boolean));
    token = page.NextContinuationToken;
  } while (token);
  const lastDay = days.sort().pop();
  if (!lastDay) return { location };
  let newest: { key: string; modified: Date } | undefined;
  token = undefined;
  do {
    const page = await list({ Prefix: lastDay, ContinuationToken: token });
    for (const object of page.Contents ?? []) {
      if (!object.Key || !object.LastModified) continue;
      // S3 lists times to the second; within one, the key's time (the generator's name) decides.
      const later = !newest || object.LastModified > newest.modified || (object.LastModified.getTime() === newest.modified.getTime() && object.Key > newest.key);
      if (later) newest = { key: object.Key, modified: object.LastModified };
    }
    token = page.NextContinuationToken;
  } while (token);
  if (!newest) return { location };
  return { location, newestKey: newest.key, ageSeconds: Math.max(0, Math.round((now.getTime() - newest.modified.getTime()) / 1000)) };
}

/** The status as a person reads it: the jobs as a table, then the alarms and the feed. */
export function formatStatus(status: EnvironmentStatus): string {
  const jobs = compactTable(["job", "last run", "state", "started (UTC)", "duration", "rows read", "curated", "quarantined", "duplicates"]);
  for (const job of status.jobs) {
    const rows = job.rows;
    jobs.push([
      job.jobName,
      job.runId ?? "never ran",
      job.state ?? "-",
      job.startedOn ? job.startedOn.toISOString().slice(0, 19).replace("T", " ") : "-",
      job.seconds !== undefined ? `${job.seconds} s` : "-",
      rows ? String(rows.read) : "-",
      rows ? String(rows.written) : "-",
      rows ? String(rows.quarantined) : "-",
      rows ? String(rows.duplicates) : "-",
    ]);
  }
  const failed = status.jobs.filter((j) => j.error).map((j) => `  ${j.jobName} ${j.runId}: ${j.error}`);
  const alarms = status.alarms.length
    ? status.alarms.map((a) => `  ${a.state.padEnd(17)} ${a.name}${a.state === "OK" ? "" : `: ${a.reason}`}`)
    : ["  none found (alerts.enabled false, or not deployed)"];
  const feed = status.feed
    ? status.feed.newestKey
      ? `  newest file ${formatAge(status.feed.ageSeconds!)} old: s3://${status.feed.location.slice(5).split("/")[0]}/${status.feed.newestKey}`
      : `  no file yet under ${status.feed.location}`
    : "  no incremental dataset";
  return [
    `${status.environment} (${status.region})`,
    jobs.toString(),
    ...(failed.length ? ["errors of the last runs:", ...failed] : []),
    "alarms:",
    ...alarms,
    "feed:",
    feed,
  ].join("\n");
}

/** `42 s`, `17 min`, `3.5 h`, `2.1 days`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
