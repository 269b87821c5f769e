/**
 * The lake on S3 for `lakehouse local run --s3`: a moto server started for the
 * run, holding what `terraform apply` would create (the bucket, every
 * synthesized role with exactly its policies), IAM enforced. Each component
 * then works as on AWS, with its own role's credentials only: the jobs read
 * their scripts and the lake through `s3://`, the generator writes its file
 * with the Lambda's role. The operator (the person at the console) drops the
 * raw files and the scripts, as the user and Terraform would, and at the end
 * copies curated tables and reports into the local folder for DuckDB.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { ObjectWriter } from "../../../lambda/handler";
import { ZONES } from "../../../modules/config/naming";
import { METRICS_NAMESPACE_ARGUMENT } from "../../../modules/config/metrics";
import type { LakehouseConfig } from "../../../modules/config/schema";
import { renderGlueScripts } from "../../../modules/etl/render";
import { lakeJobs, lakePath, qualityReportsRoot, RESOURCE_NAMES, resourcePrefix } from "../../../modules/config/naming";
import { glueScriptFiles } from "../../build/glue-library";
import { readGlueTemplates } from "../../build/glue-templates";
import type { LocalS3Target } from "../glue-runner";
import { filesUnder } from "../jobs";
import { provisionLocalAccount, type LocalAccount } from "./lake-account";
import { startMoto, type AwsCredentials, type Moto } from "./moto";
import { synthesizeEstate } from "./synth-estate";

export class S3Lake {
  private constructor(
    private readonly moto: Moto,
    readonly account: LocalAccount,
    /** Glue job name by lake job id (`batch`, `batch-2`, ...). */
    private readonly jobNames: ReadonlyMap<string, string>,
    private readonly functionName: string | undefined,
  ) {}

  /** Starts the server and provisions the account of `environment` (the config's first by default). */
  static async start(config: LakehouseConfig, environment = config.environments[0].name): Promise<S3Lake> {
    const moto = await startMoto({ region: config.region });
    try {
      const estate = synthesizeEstate(config, environment);
      const account = await provisionLocalAccount(moto.endpoint, estate, () => moto.enforceIam());
      const jobNames = new Map(lakeJobs(config).map((job) => [job.id, RESOURCE_NAMES.job(resourcePrefix(config, environment), job.id)] as const));
      for (const [id, name] of jobNames) if (!estate.glueJobs[name]) throw new Error(`the synthesized stack has no Glue job ${name} (lake job ${id})`);
      return new S3Lake(moto, account, jobNames, Object.keys(estate.functions)[0]);
    } catch (error) {
      await moto.stop();
      throw error;
    }
  }

  get bucket(): string {
    return this.account.estate.bucketName;
  }

  get endpoint(): string {
    return this.moto.endpoint;
  }

  /** Where a job runs, and as whom. */
  /** Where a lake job (`batch`, `batch-2`, ...) runs, with its own role's credentials. */
  jobTarget(jobId: string): LocalS3Target {
    const name = this.jobNames.get(jobId);
    if (!name) throw new Error(`no lake job ${jobId} in the config; have ${[...this.jobNames.keys()].join(", ")}`);
    const args = this.account.estate.glueJobs[name].defaultArguments;
    return {
      endpoint: this.moto.endpoint,
      region: this.account.estate.region,
      bucket: this.bucket,
      credentials: this.account.roles[name],
      jobName: name,
      metricsNamespace: args[`--${METRICS_NAMESPACE_ARGUMENT}`],
    };
  }

  /**
   * The synthesized alarms on the jobs' own namespace that watch a metric no job
   * published (by name and dimensions): an alarm that points at nothing never fires.
   * Empty when every one watches something; call after the runs.
   */
  async alarmsWatchingNothing(): Promise<{ alarms: number; watchingNothing: string[] }> {
    const namespaces = new Set(Object.values(this.account.estate.glueJobs).map((job) => job.defaultArguments[`--${METRICS_NAMESPACE_ARGUMENT}`]).filter(Boolean));
    const ours = this.account.estate.alarms.filter((alarm) => namespaces.has(alarm.namespace));
    const cloudwatch = new CloudWatchClient({ endpoint: this.moto.endpoint, region: this.account.estate.region, credentials: this.account.operator, maxAttempts: 1 });
    const published = new Set<string>();
    for (const namespace of namespaces) {
      let token: string | undefined;
      do {
        const page = await cloudwatch.send(new ListMetricsCommand({ Namespace: namespace, NextToken: token }));
        for (const m of page.Metrics ?? []) published.add(metricKey(namespace, m.MetricName ?? "", Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]))));
        token = page.NextToken;
      } while (token);
    }
    const watchingNothing = ours.filter((a) => !published.has(metricKey(a.namespace, a.metricName, a.dimensions))).map((a) => a.alarmName);
    return { alarms: ours.length, watchingNothing };
  }

  /** The generator's S3 client (its role's credentials) and its synthesized environment. */
  generator(): { writer: ObjectWriter; environment: Readonly<Record<string, string>> } {
    if (!this.functionName) throw new Error("the synthesized stack has no generator function (ingestion.enabled is false)");
    return { writer: this.client(this.account.roles[this.functionName]), environment: this.account.estate.functions[this.functionName].environment };
  }

  /** Uploads the rendered entry scripts and the library zip (as bytes), as Terraform's `aws_s3_object` resources do. */
  async uploadScripts(config: LakehouseConfig): Promise<void> {
    const files = await glueScriptFiles(renderGlueScripts(config, readGlueTemplates()));
    for (const [name, data] of Object.entries(files)) await this.put(`${lakePath("scripts", { system_prefix: config.storage.systemPrefix })}${name}`, data);
  }

  /** Uploads every file under `<lakeDir>/raw/`, as a user drops raw files; returns their count. */
  async uploadRaw(lakeDir: string): Promise<number> {
    const files = filesUnder(join(lakeDir, ZONES.raw));
    for (const file of files) await this.put(relative(lakeDir, file).split("\\").join("/"), readFileSync(file));
    return files.length;
  }

  /** Copies curated tables and quality reports (under the config's `storage.systemPrefix`) into `<lakeDir>` (replacing the folder's copies), for the local engines. */
  async download(lakeDir: string, systemPrefix: string): Promise<number> {
    const s3 = this.client(this.account.operator);
    let count = 0;
    for (const zone of [ZONES.curated, qualityReportsRoot(systemPrefix)]) {
      rmSync(join(lakeDir, zone), { recursive: true, force: true });
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: zone, ContinuationToken: token }));
        for (const { Key } of page.Contents ?? []) {
          if (!Key || Key.endsWith("/")) continue;
          const object = await s3.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
          const target = join(lakeDir, Key);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, await object.Body!.transformToByteArray());
          count++;
        }
        token = page.NextContinuationToken;
      } while (token);
    }
    return count;
  }

  /** IAM decisions the server refused so far (the run's summary reports them). */
  denials() {
    return this.moto.decisions().filter((d) => !d.allowed);
  }

  stop(): Promise<void> {
    return this.moto.stop();
  }

  private client(credentials: AwsCredentials): S3Client {
    return new S3Client({ endpoint: this.moto.endpoint, region: this.account.estate.region, credentials, forcePathStyle: true, maxAttempts: 1 });
  }

  private async put(key: string, body: string | Uint8Array): Promise<void> {
    await this.client(this.account.operator).send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }
}

/** A metric's identity: namespace, name and its dimensions in name order. */
function metricKey(namespace: string, name: string, dimensions: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify([namespace, name, Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))]);
}
