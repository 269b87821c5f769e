/**
 * Which AWS resources an ops command acts on: names derived from the config
 * exactly as the constructs derive them, unless overridden on the command line.
 */
import { GetDatabaseCommand, GetJobCommand } from "@aws-sdk/client-glue";
import type { LakehouseConfig } from "../../modules/config/schema";
import { databaseName, JOB_KINDS, RESOURCE_NAMES, resourcePrefix, SYSTEM_PREFIX_ARGUMENT, type JobKind } from "../../modules/config/naming";
import { awsCall, OpsError, type GlueApi } from "./aws";

export { JOB_KINDS, type JobKind };

export interface Environment {
  readonly config: LakehouseConfig;
  /** Environment name, e.g. `dev`. */
  readonly environment: string;
  readonly region: string;
}

/** Picks the environment (default: the first in the config) and the region (default: the config's). */
export function environmentOf(config: LakehouseConfig, options: { env?: string; region?: string }): Environment {
  const environment = options.env ?? config.environments[0].name;
  if (!config.environments.some((e) => e.name === environment)) {
    throw new OpsError(`environment "${environment}" is not in the config; pass --env with one of: ${config.environments.map((e) => e.name).join(", ")}`);
  }
  return { config, environment, region: options.region ?? config.region };
}

/** `<prefix>-<env>-batch`, `-batch-2`, `-incremental`, ...: the name the ETL construct gives a job, by its lake job id. */
export function jobNameOf(target: Environment, jobId: string): string {
  return RESOURCE_NAMES.job(resourcePrefix(target.config, target.environment), jobId);
}

/** `<prefix>-<env>-raw-crawler`: the name the catalog construct gives the crawler. */
export function rawCrawlerNameOf(target: Environment): string {
  return RESOURCE_NAMES.crawler(resourcePrefix(target.config, target.environment), "raw");
}

/** Where a job's lake is: bucket and key prefix (empty for the bucket root). */
export interface LakeLocation {
  readonly bucket: string;
  readonly prefix: string;
  /** Prefix of the lake's system keys (quality reports, ...) below `prefix`: the job's `--system_prefix`, else the config's `storage.systemPrefix`. */
  readonly systemPrefix: string;
  /** How it was found, for the user: "--bucket", "job argument --lake_root", ... */
  readonly source: string;
}

/**
 * The lake a job writes to: `--bucket` if given; else the job's own
 * `--lake_root` argument (what the job itself writes under); else the naming
 * convention `<prefix>-<env>-lake-<account>`, the account being the catalog id
 * of the environment's Glue database.
 */
export async function lakeOf(glue: GlueApi, target: Environment, jobName: string, bucketOverride?: string): Promise<LakeLocation> {
  const configured = target.config.storage.systemPrefix;
  if (bucketOverride) return { bucket: bucketOverride, prefix: "", systemPrefix: configured, source: "--bucket" };
  const job = await awsCall(
    {
      doing: `reading Glue job ${jobName}`,
      region: target.region,
      notFound: `job "${jobName}" not found in region ${target.region}: deploy first (cdktf deploy lakehouse-${target.environment}) or pass --job-name`,
    },
    () => glue.send(new GetJobCommand({ JobName: jobName })),
  );
  const root = job.Job?.DefaultArguments?.["--lake_root"];
  const parsed = root ? parseS3Uri(root) : undefined;
  if (parsed) return { ...parsed, systemPrefix: job.Job?.DefaultArguments?.[`--${SYSTEM_PREFIX_ARGUMENT}`] ?? "", source: "job argument --lake_root" };

  const database = databaseName(target.config, target.environment);
  const found = await awsCall(
    {
      doing: `looking up the account of Glue database ${database}`,
      region: target.region,
      notFound: `cannot tell the lake bucket: job ${jobName} has no --lake_root and database ${database} is not in ${target.region}; pass --bucket`,
    },
    () => glue.send(new GetDatabaseCommand({ Name: database })),
  );
  const account = found.Database?.CatalogId;
  if (!account) throw new OpsError(`cannot tell the lake bucket (no account id on database ${database}); pass --bucket`);
  return { bucket: RESOURCE_NAMES.lakeBucket(resourcePrefix(target.config, target.environment), account), prefix: "", systemPrefix: configured, source: "naming convention" };
}

/** `s3://bucket/some/prefix` -> bucket and `some/prefix/`; undefined for anything else. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!match) return undefined;
  const prefix = match[2] && !match[2].endsWith("/") ? `${match[2]}/` : match[2];
  return { bucket: match[1], prefix };
}
