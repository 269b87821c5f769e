import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { GlueJob } from "@cdktf/provider-aws/lib/glue-job";
import { GlueTrigger } from "@cdktf/provider-aws/lib/glue-trigger";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import type { DatasetConfig, LakehouseConfig } from "../config/schema";
import { qualityReportPrefix, ZONES } from "../config/naming";
import { ServiceRole } from "../iam/service-role";
import type { PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import { GlueSecurity } from "./glue-security";
import { terraformLiteral } from "./terraform-literal";

/** Where the jobs keep their scripts, scratch space and incremental state in the lake. */
export const ETL_LAYOUT = {
  scripts: `${ZONES.system}scripts/`,
  temp: `${ZONES.system}tmp/`,
  /** One manifest per run of the files it processed, per incremental dataset. */
  manifests: `${ZONES.system}manifests/`,
} as const;

/** The two jobs every lake has. */
export type JobKind = "batch" | "incremental";

export interface GlueJobsProps {
  /** The lake the jobs read and write. */
  readonly storage: LakeBucket;
  /** Datasets the jobs process. */
  readonly datasets: readonly DatasetConfig[];
  /** Glue settings from the config (version, workers, timeout, retries, flex, schedule). */
  readonly glue: LakehouseConfig["glue"];
  /** Rendered scripts by file name: `batch_job.py`, `incremental_job.py`, `lakehouse_etl.py`. */
  readonly scripts: Readonly<Record<string, string>>;
  /** Stem of job, role and trigger names, e.g. `shoplake-dev`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * The batch job (raw CSV -> curated Parquet, on demand) and the incremental job
 * (new JSON orders -> upsert into curated, on a schedule), each with its own
 * least-privilege role, the rendered scripts as S3 objects, and one Glue
 * security configuration.
 */
export class GlueJobs extends Construct {
  readonly jobs: Record<JobKind, GlueJob>;
  readonly jobNames: Record<JobKind, string>;
  readonly security: GlueSecurity;
  readonly incrementalTrigger?: GlueTrigger;

  constructor(scope: Construct, id: string, props: GlueJobsProps) {
    super(scope, id);
    const { storage } = props;

    this.security = new GlueSecurity(this, "security", {
      name: `${props.namePrefix}-glue`,
      kmsKeyArn: storage.kmsKeyArn,
    });

    const scriptUri: Record<string, string> = {};
    for (const [file, content] of Object.entries(props.scripts).sort(([a], [b]) => a.localeCompare(b))) {
      const sha256 = createHash("sha256").update(content).digest("hex");
      const object = new S3Object(this, `script-${file.replace(/\W/g, "-")}`, {
        bucket: storage.bucketName,
        key: `${ETL_LAYOUT.scripts}${file}`,
        content: terraformLiteral(content),
        contentType: "text/x-python",
        // Any change to the rendered script changes this, so the plan shows it.
        metadata: { "content-sha256": sha256 },
      });
      scriptUri[file] = `s3://${storage.bucketName}/${object.key}`;
    }

    const incrementalDatasets = props.datasets.filter((d) => d.incremental);
    const batch = this.job("batch", props, scriptUri, {
      description: "Raw CSV -> curated Parquet; every dataset upserted by primary key",
      reads: props.datasets.map((d) => `${ZONES.raw}${d.name}/`),
      writes: props.datasets.map((d) => `${ZONES.curated}${d.table}/`),
      readsCurated: [],
      quarantine: props.datasets.map((d) => `${ZONES.quarantine}${d.name}/`),
      state: [],
    });
    const incremental = this.job("incremental", props, scriptUri, {
      description: "New JSON-lines orders -> upsert into curated; each file processed once",
      reads: incrementalDatasets.map((d) => `${ZONES.raw}${d.incremental!.rawFolder}/`),
      writes: incrementalDatasets.map((d) => `${ZONES.curated}${d.table}/`),
      readsCurated: foreignKeyTables(props.datasets, incrementalDatasets).map((t) => `${ZONES.curated}${t}/`),
      quarantine: incrementalDatasets.map((d) => `${ZONES.quarantine}${d.name}/`),
      state: incrementalDatasets.map((d) => `${ETL_LAYOUT.manifests}${d.name}/`),
    });
    this.jobs = { batch, incremental };
    this.jobNames = { batch: batch.name, incremental: incremental.name };

    if (props.glue.incrementalSchedule) {
      this.incrementalTrigger = new GlueTrigger(this, "incremental-schedule", {
        name: `${props.namePrefix}-incremental-schedule`,
        description: "Runs the incremental job on the configured schedule",
        type: "SCHEDULED",
        schedule: props.glue.incrementalSchedule,
        startOnCreation: true,
        actions: [{ jobName: incremental.name }],
      });
    }
  }

  private job(
    kind: JobKind,
    props: GlueJobsProps,
    scriptUri: Record<string, string>,
    access: {
      description: string;
      reads: string[];
      writes: string[];
      readsCurated: string[];
      quarantine: string[];
      /** Prefixes of state the job keeps between runs. */
      state: string[];
    },
  ): GlueJob {
    const { storage, glue } = props;
    const name = `${props.namePrefix}-${kind}`;
    const temp = `${ETL_LAYOUT.temp}${kind}/`;
    const reports = qualityReportPrefix(kind);
    const role = new ServiceRole(this, `${kind}-role`, {
      roleName: `${name}-job`,
      servicePrincipal: "glue.amazonaws.com",
      description: `Glue ${kind} job: reads ${access.reads.join(", ")}; writes ${access.writes.join(", ")}`,
      statements: [
        ...storage.grantRead("ReadScripts", [ETL_LAYOUT.scripts]),
        ...storage.grantRead("ReadInputs", [...access.reads, ...access.readsCurated]),
        // Spark rewrites partitions in place: it reads, writes and deletes only the tables it owns.
        ...storage.grantRead("ReadOwnedTables", access.writes),
        ...storage.grantWrite("WriteOwnedTables", access.writes),
        ...storage.grantDelete("ReplaceOwnedTables", access.writes),
        // Quarantine is written by Spark's committer: it checks the run's folder, writes under the
        // run's _temporary/ and renames into place (on S3 a copy and a delete). So it reads there, and
        // deletes only staging objects: committed quarantine files (evidence) cannot be deleted by a job.
        ...storage.grantWrite("WriteQuarantine", access.quarantine),
        ...storage.grantRead("ReadOwnQuarantine", access.quarantine),
        ...storage.grantDelete("CleanQuarantineStaging", access.quarantine.map((prefix) => `${prefix}run_id=*/_temporary/`)),
        ...storage.grantRead("ReadOwnReports", [reports]),
        ...storage.grantWrite("WriteOwnReports", [reports]),
        ...storage.grantRead("ReadScratch", [temp, ...access.state]),
        ...storage.grantWrite("WriteScratch", [temp, ...access.state]),
        ...storage.grantDelete("CleanScratch", [temp]),
        ...jobLogStatements(props),
      ],
    });
    return new GlueJob(this, `${kind}-job`, {
      name,
      description: access.description,
      roleArn: role.roleArn,
      glueVersion: glue.version,
      workerType: glue.workerType,
      numberOfWorkers: glue.numberOfWorkers,
      executionClass: glue.flex ? "FLEX" : "STANDARD",
      timeout: glue.timeoutMinutes,
      maxRetries: glue.maxRetries,
      // A second concurrent run would race on the same partitions: queue it instead of failing it.
      executionProperty: { maxConcurrentRuns: 1 },
      jobRunQueuingEnabled: true,
      securityConfiguration: this.security.name,
      command: { name: "glueetl", pythonVersion: "3", scriptLocation: scriptUri[`${kind}_job.py`] },
      defaultArguments: {
        "--job-language": "python",
        "--lake_root": `s3://${storage.bucketName}`,
        "--extra-py-files": scriptUri["lakehouse_etl.py"],
        "--TempDir": `s3://${storage.bucketName}/${temp}`,
        // State that decides which files are new lives in the lake, not in Glue bookmarks.
        "--job-bookmark-option": "job-bookmark-disable",
        "--enable-metrics": "true",
        "--enable-observability-metrics": "true",
        "--enable-continuous-cloudwatch-log": "true",
        "--enable-spark-ui": "false",
        // Glue takes a single --conf (chain further settings inside its value). The upsert
        // rewrites touched partitions itself (new files, then delete old), so no overwrite mode.
        "--conf": "spark.sql.session.timeZone=UTC",
      },
    });
  }
}

/** Curated tables the incremental datasets check their foreign keys against. */
function foreignKeyTables(all: readonly DatasetConfig[], incremental: readonly DatasetConfig[]): string[] {
  const referenced = new Set(
    incremental.flatMap((d) => d.quality.flatMap((rule) => (rule.rule === "foreign_key" ? [rule.references] : []))),
  );
  return all.filter((d) => referenced.has(d.name)).map((d) => d.table).sort();
}

function jobLogStatements(props: GlueJobsProps): PolicyStatement[] {
  const logs = `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws-glue/*`;
  return [
    {
      Sid: "WriteJobLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
      Resource: [logs],
    },
    {
      // PutMetricData has no resource-level permissions; the namespace condition scopes it.
      Sid: "PublishJobMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: ["*"],
      Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } },
    },
  ];
}
