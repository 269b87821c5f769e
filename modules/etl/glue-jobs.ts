import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { AssetType, TerraformAsset } from "cdktf";
import { GlueJob } from "@cdktf/provider-aws/lib/glue-job";
import { GlueTrigger } from "@cdktf/provider-aws/lib/glue-trigger";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { FileArtifact } from "../artifact";
import type { DatasetConfig, GlueVersion } from "../config/schema";
import { CATALOG_DATABASE_ARGUMENT } from "../config/iceberg";
import { METRICS_NAMESPACE_ARGUMENT } from "../config/metrics";
import { lakeJobsOfKind, lakePath, qualityReportPrefix, RESOURCE_NAMES, SYSTEM_PREFIX_ARGUMENT, systemPrefixProblem, ZONES, type JobKind, type LakeJobSpec } from "../config/naming";
import { logGroupArn } from "../catalog/glue-arns";
import { grantIcebergCatalog } from "../catalog/iceberg-grants";
import { ServiceRole } from "../iam/service-role";
import type { PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import { GLUE_JOB_DEFAULTS } from "./defaults";
import { GlueSecurity } from "./glue-security";
import { glueSparkConf } from "./spark-conf";
import { GLUE_JOB_SCRIPTS, GLUE_LIBRARY_ZIP } from "./render";
import { terraformLiteral } from "./terraform-literal";

/** Object names of the deployed scripts under `lakePath("scripts")` (names owned by the renderer). */
const GLUE_SCRIPT_FILES = { ...GLUE_JOB_SCRIPTS, library: GLUE_LIBRARY_ZIP } as const satisfies Record<JobKind | "library", string>;

/** What the jobs run, built before synth (see `scripts/build/`). */
export interface GlueJobScripts {
  /** Python source of the batch job's entry script, rendered from the dataset config. */
  readonly batch: string;
  /** Python source of the incremental job's entry script. */
  readonly incremental: string;
  /** The job library (the `lakehouse_etl` package as a deterministic zip), shipped with `--extra-py-files`. */
  readonly library: FileArtifact;
}

export interface GlueJobsProps {
  /** The lake the jobs read and write. */
  readonly storage: LakeBucket;
  /** Datasets the jobs process: they decide which prefixes each job may read and write. */
  readonly datasets: readonly DatasetConfig[];
  /** The entry scripts and the library. */
  readonly scripts: GlueJobScripts;
  /** Stem of job, role and trigger names, e.g. `shoplake-dev`. */
  readonly namePrefix: string;
  /** Account and region, to scope the jobs' log and catalog permissions. */
  readonly accountId: string;
  readonly region: string;
  /**
   * Glue database of the curated tables. The jobs address the Iceberg tables
   * in it (`--catalog_database`) and commit to their catalog entries, so it is
   * required when a dataset's format is `iceberg`. @default - none (Parquet only)
   */
  readonly databaseName?: string;
  /**
   * Datasets one job processes at most: more datasets get more jobs of the kind
   * (`<prefix>-batch-2`, ...), each with its own role. The scripts must be
   * rendered with the same value. @default 25
   */
  readonly datasetsPerJob?: number;
  /**
   * Prefix of the jobs' system keys (scripts, scratch, manifests, quality
   * reports) in a bucket shared with other estates, e.g. `teams/shop/`: the
   * objects, the grants and the jobs' `--system_prefix` follow it. Folders
   * ending with `/`, not inside a zone. @default "" (the bucket's root)
   */
  readonly systemPrefix?: string;
  /** Glue version; the scripts must be rendered for it. @default "5.0" */
  readonly glueVersion?: GlueVersion;
  /** @default "G.1X" */
  readonly workerType?: string;
  /** Workers per run, at least 2. @default 2 */
  readonly numberOfWorkers?: number;
  /** Run timeout in minutes. @default 30 */
  readonly timeoutMinutes?: number;
  /** Retries of a failed run (the jobs are idempotent). @default 1 */
  readonly maxRetries?: number;
  /**
   * Minutes after a run starts before Glue sends a `Glue Job Run Status` event
   * saying it is still running (the jobs' `notification_property`); below
   * `timeoutMinutes` to be of use. `PipelineAlerts` turns the event into an alert.
   * @default - no such event
   */
  readonly notifyDelayAfterMinutes?: number;
  /**
   * CloudWatch namespace the jobs publish their counts to (`--metrics_namespace`,
   * names in `modules/config/metrics.ts`); each role may publish there and to
   * Glue's own namespace only. `metricsNamespace()` gives `Lakehouse/<prefix>-<env>`.
   * @default - the jobs publish no metrics of their own
   */
  readonly metricsNamespace?: string;
  /** `FLEX` is cheaper and may start later (G.1X/G.2X only). @default "STANDARD" */
  readonly executionClass?: "STANDARD" | "FLEX";
  /** Glue cron expression of the incremental job's trigger; `null` for on demand only. @default "cron(0 2 * * ? *)" */
  readonly incrementalSchedule?: string | null;
}

/** One Glue job of the lake, with the role it runs as. */
export interface LakeJob {
  /** Its kind, id (`batch`, `batch-2`, ...) and datasets. */
  readonly spec: LakeJobSpec;
  readonly job: GlueJob;
  readonly jobName: string;
  readonly jobArn: string;
  /** Its own least-privilege role; grant it more with the grant methods of storage or tables. */
  readonly role: ServiceRole;
}

/**
 * The batch job (raw CSV -> curated Parquet, on demand) and the incremental job
 * (new JSON orders -> upsert into curated, on a schedule), each with its own
 * least-privilege role, the scripts as S3 objects, and one Glue security
 * configuration.
 */
export class GlueJobs extends Construct {
  /** The first job of each kind (the only one while a kind has at most `datasetsPerJob` datasets). */
  readonly jobs: Readonly<Record<JobKind, LakeJob>>;
  readonly jobNames: Readonly<Record<JobKind, string>>;
  /** Every job, batch jobs first, each kind's in order. */
  readonly allJobs: readonly LakeJob[];
  readonly security: GlueSecurity;
  readonly incrementalTrigger?: GlueTrigger;
  /** The prefix of the jobs' system keys (`""` for the bucket's root). */
  readonly systemPrefix: string;
  /** Where the scripts and the library are: `<system prefix>_system/scripts/`. */
  private readonly scriptsPrefix: string;

  constructor(scope: Construct, id: string, props: GlueJobsProps) {
    super(scope, id);
    const { storage } = props;
    this.systemPrefix = props.systemPrefix ?? "";
    const prefixProblem = systemPrefixProblem(this.systemPrefix);
    if (prefixProblem) throw new Error(`GlueJobs: props.systemPrefix "${this.systemPrefix}" ${prefixProblem}`);
    this.scriptsPrefix = lakePath("scripts", { system_prefix: this.systemPrefix });

    this.security = new GlueSecurity(this, "security", {
      name: RESOURCE_NAMES.glueSecurityConfiguration(props.namePrefix),
      kmsKeyArn: storage.kmsKeyArn,
    });

    // By the objects' keys, so Terraform uploads a script before it creates or updates a job that runs it.
    const objects = {
      batch: this.entryScript(storage, GLUE_SCRIPT_FILES.batch, props.scripts.batch),
      incremental: this.entryScript(storage, GLUE_SCRIPT_FILES.incremental, props.scripts.incremental),
      library: this.library(storage, props.scripts.library),
    };
    const scriptUri = (file: keyof typeof objects) => `s3://${storage.bucketName}/${objects[file].key}`;

    const icebergTables = new Set(props.datasets.filter((d) => d.format === "iceberg").map((d) => d.table));
    if (icebergTables.size > 0 && !props.databaseName) {
      throw new Error(`GlueJobs: ${[...icebergTables].join(", ")} are Iceberg tables, so the jobs need props.databaseName, the Glue database they are in`);
    }
    const iceberg = (tables: string[]) => tables.filter((t) => icebergTables.has(t));
    const perJob = datasetsPerJob(props);
    const byName = new Map(props.datasets.map((d) => [d.name, d]));
    const jobOf = (spec: LakeJobSpec): LakeJob => {
      const own = spec.datasets.map((name) => byName.get(name)!);
      const writes = own.map((d) => d.table);
      // Foreign keys are checked against curated tables; those of datasets another job writes are read only.
      const referenced = foreignKeyTables(props.datasets, own).filter((t) => !writes.includes(t));
      const common = {
        writes: writes.map((t) => `${ZONES.curated}${t}/`),
        readsCurated: referenced.map((t) => `${ZONES.curated}${t}/`),
        quarantined: own.map((d) => d.name),
        iceberg: { commits: iceberg(writes), reads: iceberg(referenced) },
      };
      return spec.kind === "batch"
        ? this.job(spec, props, scriptUri, {
            ...common,
            description: `Raw CSV -> curated Parquet; ${own.length === props.datasets.length ? "every dataset" : `${own.length} datasets`} upserted by primary key`,
            reads: own.map((d) => `${ZONES.raw}${d.name}/`),
            state: [],
          })
        : this.job(spec, props, scriptUri, {
            ...common,
            description: "New JSON-lines orders -> upsert into curated; each file processed once",
            reads: own.map((d) => `${ZONES.raw}${d.incremental!.rawFolder}/`),
            state: own.map((d) => lakePath("manifests", { system_prefix: this.systemPrefix, dataset: d.name })),
          });
    };
    const batchJobs = lakeJobsOfKind("batch", props.datasets, perJob).map(jobOf);
    const incrementalJobs = lakeJobsOfKind("incremental", props.datasets, perJob).map(jobOf);
    this.allJobs = [...batchJobs, ...incrementalJobs];
    this.jobs = { batch: batchJobs[0], incremental: incrementalJobs[0] };
    this.jobNames = { batch: batchJobs[0].jobName, incremental: incrementalJobs[0].jobName };

    const schedule = props.incrementalSchedule === undefined ? GLUE_JOB_DEFAULTS.incrementalSchedule : props.incrementalSchedule;
    if (schedule) {
      this.incrementalTrigger = new GlueTrigger(this, "incremental-schedule", {
        name: RESOURCE_NAMES.incrementalTrigger(props.namePrefix),
        description: "Runs the incremental job on the configured schedule",
        type: "SCHEDULED",
        schedule,
        startOnCreation: true,
        actions: incrementalJobs.map((job) => ({ jobName: job.jobName })),
      });
    }
  }

  /** An entry script as an object whose content is in the plan, so a PR shows every rendered change. */
  private entryScript(storage: LakeBucket, file: string, content: string): S3Object {
    return new S3Object(this, scriptId(file), {
      bucket: storage.bucketName,
      key: `${this.scriptsPrefix}${file}`,
      content: terraformLiteral(content),
      contentType: "text/x-python",
      // Any change to the rendered script changes this, so the plan shows it.
      metadata: { "content-sha256": createHash("sha256").update(content).digest("hex") },
    });
  }

  /** The library zip as an asset: uploaded from the synth output, replaced when its hash changes. */
  private library(storage: LakeBucket, library: FileArtifact): S3Object {
    const file = GLUE_SCRIPT_FILES.library;
    const asset = new TerraformAsset(this, "library-asset", { path: library.path, type: AssetType.FILE });
    return new S3Object(this, scriptId(file), {
      bucket: storage.bucketName,
      key: `${this.scriptsPrefix}${file}`,
      source: asset.path,
      sourceHash: library.sha256,
      contentType: "application/zip",
      metadata: { "content-sha256": library.sha256 },
    });
  }

  private job(
    spec: LakeJobSpec,
    props: GlueJobsProps,
    scriptUri: (file: JobKind | "library") => string,
    access: {
      description: string;
      reads: string[];
      writes: string[];
      readsCurated: string[];
      /** Datasets whose bad rows the job quarantines. */
      quarantined: string[];
      /** Prefixes of state the job keeps between runs. */
      state: string[];
      /** Iceberg tables the job commits to (it writes them) and those it only reads (foreign-key lookups). */
      iceberg: { commits: string[]; reads: string[] };
    },
  ): LakeJob {
    const { storage } = props;
    const { kind, id } = spec;
    const name = RESOURCE_NAMES.job(props.namePrefix, id);
    const temp = lakePath("temp", { system_prefix: this.systemPrefix, job: id });
    const reports = qualityReportPrefix(this.systemPrefix, id);
    const quarantine = access.quarantined.map((dataset) => `${ZONES.quarantine}${dataset}/`);
    // Where Spark's committer stages a run's quarantine files before it renames them into place.
    const staging = access.quarantined.map((dataset) => `${lakePath("quarantineRun", { dataset, run_id: "*" })}_temporary/`);
    // Construct ids are the Terraform addresses: a kind's first job keeps the one it always had.
    const role = new ServiceRole(this, `${id}-role`, {
      roleName: RESOURCE_NAMES.jobRole(props.namePrefix, id),
      servicePrincipal: "glue.amazonaws.com",
      description: `Glue ${kind} job: reads ${access.reads.join(", ")}; writes ${access.writes.join(", ")}`,
      overflowAdvice: `give each job fewer datasets (datasetsPerJob, now ${datasetsPerJob(props)}; glue.datasetsPerJob in the config)`,
    });
    storage.grantRead(role, [this.scriptsPrefix], "ReadScripts");
    storage.grantRead(role, [...access.reads, ...access.readsCurated], "ReadInputs");
    // Spark rewrites partitions in place: it reads, writes and deletes only the tables it owns.
    storage.grantRead(role, access.writes, "ReadOwnedTables");
    storage.grantWrite(role, access.writes, "WriteOwnedTables");
    storage.grantDelete(role, access.writes, "ReplaceOwnedTables");
    // Quarantine is written by Spark's committer: it checks the run's folder, writes under the
    // run's _temporary/ and renames into place (on S3 a copy and a delete). So it reads there, and
    // deletes only staging objects: committed quarantine files (evidence) cannot be deleted by a job.
    storage.grantWrite(role, quarantine, "WriteQuarantine");
    storage.grantRead(role, quarantine, "ReadOwnQuarantine");
    storage.grantDelete(role, staging, "CleanQuarantineStaging");
    storage.grantRead(role, [reports], "ReadOwnReports");
    storage.grantWrite(role, [reports], "WriteOwnReports");
    storage.grantRead(role, [temp, ...access.state], "ReadScratch");
    storage.grantWrite(role, [temp, ...access.state], "WriteScratch");
    storage.grantDelete(role, [temp], "CleanScratch");
    role.addToPolicy(...jobLogStatements(role, props));
    // An Iceberg table is its catalog entry: reading one is a GetTable, committing an UpdateTable. Parquet tables are read by path.
    const database = props.databaseName ?? ""; // set whenever there is an Iceberg table (checked above)
    grantIcebergCatalog(role, props, database, access.iceberg.commits, "commit", "CommitIcebergTables");
    grantIcebergCatalog(role, props, database, access.iceberg.reads, "read", "ReadIcebergTables");
    const usesIceberg = props.datasets.some((d) => d.format === "iceberg");

    const job = new GlueJob(this, `${id}-job`, {
      name,
      description: access.description,
      roleArn: role.roleArn,
      glueVersion: props.glueVersion ?? GLUE_JOB_DEFAULTS.glueVersion,
      workerType: props.workerType ?? GLUE_JOB_DEFAULTS.workerType,
      numberOfWorkers: props.numberOfWorkers ?? GLUE_JOB_DEFAULTS.numberOfWorkers,
      executionClass: props.executionClass ?? GLUE_JOB_DEFAULTS.executionClass,
      timeout: props.timeoutMinutes ?? GLUE_JOB_DEFAULTS.timeoutMinutes,
      notificationProperty: props.notifyDelayAfterMinutes === undefined ? undefined : { notifyDelayAfter: props.notifyDelayAfterMinutes },
      maxRetries: props.maxRetries ?? GLUE_JOB_DEFAULTS.maxRetries,
      // A second concurrent run would race on the same partitions: queue it instead of failing it.
      executionProperty: { maxConcurrentRuns: 1 },
      jobRunQueuingEnabled: true,
      securityConfiguration: this.security.name,
      command: { name: "glueetl", pythonVersion: "3", scriptLocation: scriptUri(kind) },
      defaultArguments: {
        "--job-language": "python",
        "--lake_root": `s3://${storage.bucketName}`,
        "--extra-py-files": scriptUri("library"),
        "--TempDir": `s3://${storage.bucketName}/${temp}`,
        // State that decides which files are new lives in the lake, not in Glue bookmarks.
        "--job-bookmark-option": "job-bookmark-disable",
        "--enable-metrics": "true",
        "--enable-observability-metrics": "true",
        "--enable-continuous-cloudwatch-log": "true",
        "--enable-spark-ui": "false",
        // Which of the kind's jobs this is: the script processes that job's datasets (JOBS).
        ...(id === kind ? {} : { "--lake_job": id }),
        // Where its system keys are, in a shared bucket (the scripts fill LAYOUT's {system_prefix} with it).
        ...(this.systemPrefix ? { [`--${SYSTEM_PREFIX_ARGUMENT}`]: this.systemPrefix } : {}),
        // Iceberg's jars (the Glue version's Iceberg) and the database the scripts address the tables in.
        // Where the run publishes its counts (the alarms and the dashboard read them there).
        ...(props.metricsNamespace ? { [`--${METRICS_NAMESPACE_ARGUMENT}`]: props.metricsNamespace } : {}),
        ...(usesIceberg ? { "--datalake-formats": "iceberg", [`--${CATALOG_DATABASE_ARGUMENT}`]: database } : {}),
        // The Parquet upsert rewrites touched partitions itself (new files, then delete old), so no overwrite mode.
        "--conf": glueSparkConf({ icebergWarehouse: usesIceberg ? `s3://${storage.bucketName}/${ZONES.curated}` : undefined }),
      },
    });
    return { spec, job, jobName: job.name, jobArn: job.arn, role };
  }
}

/**
 * Construct id of a script object, from its file name (`script-batch_job-py`): part of the
 * resource address, so a script keeps its address while its file name stays the same.
 */
function scriptId(file: string): string {
  return `script-${file.replace(/\W/g, "-")}`;
}

const datasetsPerJob = (props: GlueJobsProps): number => props.datasetsPerJob ?? GLUE_JOB_DEFAULTS.datasetsPerJob;

/** Curated tables the given datasets check their foreign keys against. */
function foreignKeyTables(all: readonly DatasetConfig[], datasets: readonly DatasetConfig[]): string[] {
  const referenced = new Set(
    datasets.flatMap((d) => d.quality.flatMap((rule) => (rule.rule === "foreign_key" ? [rule.references] : []))),
  );
  return all.filter((d) => referenced.has(d.name)).map((d) => d.table).sort();
}

function jobLogStatements(role: ServiceRole, props: GlueJobsProps): PolicyStatement[] {
  const logs = logGroupArn(role, props, "/aws-glue/*");
  return [
    {
      Sid: "WriteJobLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
      Resource: [logs],
    },
    {
      // PutMetricData has no resource-level permissions; the namespace condition scopes it:
      // Glue's own job metrics (--enable-metrics) and the pipeline's counts, nothing else.
      Sid: "PublishJobMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: ["*"],
      Condition: { StringEquals: { "cloudwatch:namespace": props.metricsNamespace ? ["Glue", props.metricsNamespace] : "Glue" } },
    },
  ];
}
