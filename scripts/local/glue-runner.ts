/**
 * Runs a rendered Glue job script on the local pyspark, against a lake folder.
 *
 * The script is the same artifact Glue runs: it is rendered from the config
 * into `<lakeDir>/_system/scripts/` beside the library zip (`lakehouse_etl.zip`),
 * and started by `glue_local/run_glue_job.py` as
 * `<script> --JOB_NAME .. --JOB_RUN_ID .. --lake_root <lakeDir> [--now ..]`
 * with `glue_local/` (the `awsglue` stand-in) on PYTHONPATH, the zip on
 * `sys.path` (`--extra-py-files`, as Glue's job argument: the library is
 * imported through zipimport, as on Glue), and Spark sized for a small machine
 * (local[2], 2 shuffle partitions, UI off, UTC).
 *
 * With `s3`, the job runs as on AWS: it fetches its entry script and the
 * library zip from `s3://<bucket>/_system/scripts/` and reads the lake from
 * `s3://<bucket>` on a loopback S3 endpoint, with its role's temporary
 * credentials and nothing else.
 *
 * ```ts
 * const run = await runGlueJobLocally({ config, job: "incremental", lakeDir: ".lake", onLine: console.log });
 * if (run.exitCode !== 0) console.error(`failed, see ${run.logPath}`);
 * else console.log(run.report.totals.rows_written);
 * ```
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GLUE_SPARK_VERSIONS, ZONES, type LakehouseConfig } from "../../modules/config";
import { GLUE_JOB_SCRIPTS, GLUE_LIBRARY_ZIP, renderGlueScripts } from "../../modules/etl/render";
import { checkQualityReport, type QualityReport } from "../../modules/etl/quality-report";
import { lakePath, qualityReportKey, SYSTEM_PREFIX_ARGUMENT, type JobKind } from "../../modules/config/naming";
import { METRICS_NAMESPACE_ARGUMENT } from "../../modules/config/metrics";
import { glueScriptFiles } from "../build/glue-library";
import { readGlueTemplates } from "../build/glue-templates";
import type { AwsCredentials } from "./aws/moto";
import { LocalGlueSession } from "./glue-session";
import { icebergJobArguments, LOCAL_ICEBERG_CATALOG, usesIceberg } from "./iceberg-catalog";
import { localPython, REPO_ROOT } from "./python";

export { REPO_ROOT };

export interface LocalGlueJobOptions {
  /** The resolved config the scripts are rendered from. */
  readonly config: LakehouseConfig;
  /** Which job to run. */
  readonly job: JobKind;
  /** Which of the kind's jobs (`batch`, `batch-2`, ...; see `lakeJobsOfKind`). @default - the kind's first, named for the kind */
  readonly lakeJob?: string;
  /** The local lake folder (created if missing); passed to the script as `--lake_root` (absolute). */
  readonly lakeDir: string;
  /** @default - `local-<UTC timestamp>-<random hex>` */
  readonly runId?: string;
  /** The job's clock for `not_in_future` rules (`--now`). @default - the current time */
  readonly now?: string | Date;
  /** Receives each progress line the job prints (stdout), as it prints it. */
  readonly onLine?: (line: string) => void;
  /** Python interpreter. @default - `$LAKEHOUSE_PYTHON`, else `<repo>/.venv/bin/python` */
  readonly python?: string;
  /** Spark master. @default "local[2]" */
  readonly sparkMaster?: string;
  /** Spark driver memory. @default "2g" */
  readonly driverMemory?: string;
  /** The environment whose Glue database holds the Iceberg tables (`--catalog_database`). @default - the config's first */
  readonly environment?: string;
  /** Run against a bucket on an S3 endpoint instead of the folder. @default - the folder `lakeDir` */
  readonly s3?: LocalS3Target;
  /**
   * Run in this already started Python process and SparkSession (a whole local run shares one).
   * With `s3`, the session must have been started for the same endpoint.
   * @default - a process of its own (`glue_local/run_glue_job.py`), as Glue starts one per run
   */
  readonly session?: LocalGlueSession;
}

/** A lake bucket on a loopback S3 endpoint, and the credentials of the role the job runs under. */
export interface LocalS3Target {
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** The job role's temporary credentials: everything the job may do, it does with these. */
  readonly credentials: AwsCredentials;
  /** The synthesized job's name, passed as `--JOB_NAME` (the metrics' `JobName`). @default - `<prefix>-local-<job>` */
  readonly jobName?: string;
  /** The synthesized job's `--metrics_namespace`: the run publishes its metrics there, on the same endpoint. @default - none published */
  readonly metricsNamespace?: string;
}

export interface LocalGlueJobRun {
  readonly runId: string;
  /** The quality report the job wrote last; `null` when the job failed before writing it. */
  readonly report: QualityReport | null;
  /** The Python process's exit code (0 = succeeded). */
  readonly exitCode: number;
  /** Full stdout and stderr of the run: `<lakeDir>/_system/logs/<runId>.log`. */
  readonly logPath: string;
  /** The rendered entry script that ran (beside it, the library zip it imported). */
  readonly scriptPath: string;
  /** The last stderr lines, for an error message when `exitCode` is not 0. */
  readonly errorTail: readonly string[];
}

export type { QualityReport };

/** A report as the job left it, checked against the report's one definition (a mismatch names the field). */
export function parseQualityReport(text: string, where: string): QualityReport {
  const checked = checkQualityReport(JSON.parse(text));
  if ("problem" in checked) throw new Error(`${where} is not in the quality report format (modules/etl/quality-report.ts): ${checked.problem}`);
  return checked.report;
}

export function newRunId(at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `local-${stamp}-${randomBytes(3).toString("hex")}`;
}

/** Renders the scripts and the library zip into `<lakeDir>/_system/scripts/`, runs one job, and returns its report. Never throws for a failed job: check `exitCode`. */
export async function runGlueJobLocally(options: LocalGlueJobOptions): Promise<LocalGlueJobRun> {
  const lakeDir = resolve(options.lakeDir);
  // As the synthesized jobs pass it: the system keys' prefix in a shared bucket (or folder).
  const systemPrefix = options.config.storage.systemPrefix;
  const runId = options.runId ?? newRunId();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(runId)) throw new Error(`runId "${runId}" must be letters, digits, ".", "_" or "-"`);
  const scriptsDir = join(lakeDir, ZONES.system, options.s3 ? "scripts-from-s3" : "scripts");
  const logsDir = join(lakeDir, ZONES.system, "logs");
  // A fresh folder, as Glue fetches into one: only what this run ships is there (no library file of an older layout).
  rmSync(scriptsDir, { recursive: true, force: true });
  mkdirSync(scriptsDir, { recursive: true });
  mkdirSync(logsDir, { recursive: true });

  const s3 = options.s3 ? new S3Client({ endpoint: options.s3.endpoint, region: options.s3.region, credentials: options.s3.credentials, forcePathStyle: true, maxAttempts: 1 }) : undefined;
  if (s3) {
    // Glue fetches the script and --extra-py-files from S3 with the job's role: so does this run.
    for (const name of [GLUE_JOB_SCRIPTS[options.job], GLUE_LIBRARY_ZIP]) {
      writeFileSync(join(scriptsDir, name), await getBytes(s3, options.s3!.bucket, `${lakePath("scripts", { system_prefix: systemPrefix })}${name}`));
    }
  } else {
    const files = await glueScriptFiles(renderGlueScripts(options.config, readGlueTemplates()));
    for (const [name, data] of Object.entries(files)) writeFileSync(join(scriptsDir, name), data);
  }
  const scriptPath = join(scriptsDir, GLUE_JOB_SCRIPTS[options.job]);
  const extraPyFiles = [join(scriptsDir, GLUE_LIBRARY_ZIP)];

  const python = localPython(options.python, `pyspark ${GLUE_SPARK_VERSIONS[options.config.glue.version]}`);
  const lakeJob = options.lakeJob ?? options.job;
  const jobArgs = [
    "--JOB_NAME",
    options.s3?.jobName ?? `${options.config.project.prefix}-local-${lakeJob}`,
    "--JOB_RUN_ID",
    runId,
    "--lake_root",
    options.s3 ? `s3://${options.s3.bucket}` : lakeDir,
  ];
  if (lakeJob !== options.job) jobArgs.push("--lake_job", lakeJob);
  if (systemPrefix) jobArgs.push(`--${SYSTEM_PREFIX_ARGUMENT}`, systemPrefix);
  // As the synthesized job passes it: on S3 the run publishes its counts to the moto server's CloudWatch.
  if (options.s3?.metricsNamespace) jobArgs.push(`--${METRICS_NAMESPACE_ARGUMENT}`, options.s3.metricsNamespace);
  jobArgs.push(...icebergJobArguments(options.config, options.environment ?? options.config.environments[0].name));
  if (options.now !== undefined) jobArgs.push("--now", options.now instanceof Date ? options.now.toISOString() : options.now);

  // An s3:// lake's local Iceberg catalog stays in the local folder the run copies the lake into.
  const icebergCatalogFile = options.s3 ? join(lakeDir, LOCAL_ICEBERG_CATALOG) : undefined;
  const logPath = join(logsDir, `${runId}.log`);
  const log = createWriteStream(logPath);
  const errorTail: string[] = [];
  const onStdout = (line: string) => {
    log.write(`${line}\n`);
    options.onLine?.(line);
  };
  const onStderr = (line: string) => {
    log.write(`${line}\n`);
    errorTail.push(line);
    if (errorTail.length > 40) errorTail.shift();
  };
  const iceberg = usesIceberg(options.config);
  if (iceberg && options.session && !options.session.iceberg) {
    throw new Error("the config has Iceberg tables: start the shared session with { iceberg: true }");
  }
  const exitCode = options.session
    ? await options.session.runJob({ script: scriptPath, args: jobArgs, extraPyFiles, credentials: options.s3?.credentials, icebergCatalogFile, onStdout, onStderr })
    : await runInOwnProcess(python, scriptPath, jobArgs, extraPyFiles, lakeDir, options, onStdout, onStderr, icebergCatalogFile);
  await new Promise<void>((done) => log.end(done));

  let report: QualityReport | null = null;
  if (exitCode === 0 && s3) {
    const key = qualityReportKey(systemPrefix, lakeJob, runId);
    report = parseQualityReport((await getBytes(s3, options.s3!.bucket, key)).toString("utf8"), `s3://${options.s3!.bucket}/${key}`);
  } else if (exitCode === 0) {
    const reportFile = join(lakeDir, qualityReportKey(systemPrefix, lakeJob, runId));
    report = existsSync(reportFile) ? parseQualityReport(readFileSync(reportFile, "utf8"), reportFile) : null;
  }
  return { runId, report, exitCode, logPath, scriptPath, errorTail };
}

/** One job in a Python process of its own, as Glue starts one per run (`glue_local/run_glue_job.py`). */
async function runInOwnProcess(
  python: string,
  scriptPath: string,
  jobArgs: readonly string[],
  extraPyFiles: readonly string[],
  lakeDir: string,
  options: LocalGlueJobOptions,
  onStdout: (line: string) => void,
  onStderr: (line: string) => void,
  icebergCatalogFile: string | undefined,
): Promise<number> {
  const launcher = options.s3 ? ["--s3-endpoint", options.s3.endpoint, "--region", options.s3.region] : [];
  if (usesIceberg(options.config)) launcher.push("--iceberg", ...(icebergCatalogFile ? ["--iceberg-catalog", icebergCatalogFile] : []));
  const args = [join(REPO_ROOT, "glue_local", "run_glue_job.py"), ...launcher, "--extra-py-files", extraPyFiles.join(","), "--", scriptPath, ...jobArgs];
  const env = localSparkEnv(python, options);
  if (options.s3) {
    // As Glue hands a job its role's credentials: nothing else is in this process's environment.
    const { accessKeyId, secretAccessKey, sessionToken } = options.s3.credentials;
    Object.assign(env, { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: options.s3.region });
    if (sessionToken) env.AWS_SESSION_TOKEN = sessionToken;
    else delete env.AWS_SESSION_TOKEN;
  }
  const child = spawn(python, args, { cwd: lakeDir, env, stdio: ["ignore", "pipe", "pipe"] });
  createInterface({ input: child.stdout }).on("line", onStdout);
  createInterface({ input: child.stderr }).on("line", onStderr);
  return new Promise<number>((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

/** Starts one Python process and SparkSession for several jobs of a local run (see {@link LocalGlueSession}). */
export function startLocalGlueSession(
  options: Pick<LocalGlueJobOptions, "python" | "sparkMaster" | "driverMemory"> & {
    readonly s3?: { endpoint: string; region: string };
    /** Load Iceberg in the session: needed when the config has Iceberg tables (`usesIceberg`). @default false */
    readonly iceberg?: boolean;
  } = {},
): LocalGlueSession {
  const python = localPython(options.python, "the local Spark session");
  const env = localSparkEnv(python, options);
  return LocalGlueSession.start({ python, repoRoot: REPO_ROOT, env, s3: options.s3, iceberg: options.iceberg });
}

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    throw new Error(`could not read s3://${bucket}/${key}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Environment of the local Spark process: the `awsglue` shim on PYTHONPATH, small-machine Spark settings.
 * The library is not on it: each job puts the zip it ships on `sys.path` (`--extra-py-files`), as on Glue.
 */
export function localSparkEnv(
  python: string,
  options: Pick<LocalGlueJobOptions, "sparkMaster" | "driverMemory"> = {},
): NodeJS.ProcessEnv {
  const sparkConf = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    // C1 only: a local run is short and made of many small plans; full JIT costs more than it saves
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC -XX:TieredStopAtLevel=1",
  };
  const submitArgs = [
    "--master",
    options.sparkMaster ?? "local[2]",
    "--driver-memory",
    options.driverMemory ?? "2g",
    ...Object.entries(sparkConf).flatMap(([key, value]) => ["--conf", `${key}=${value}`]),
    "pyspark-shell",
  ];
  const pythonPath = [join(REPO_ROOT, "glue_local"), process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  return {
    ...process.env,
    PYTHONPATH: pythonPath,
    PYSPARK_PYTHON: python,
    PYSPARK_DRIVER_PYTHON: python,
    // pyspark splits this with shlex: quote values that hold spaces
    PYSPARK_SUBMIT_ARGS: submitArgs.map(shellQuote).join(" "),
    PYTHONUNBUFFERED: "1",
    SPARK_LOCAL_IP: process.env.SPARK_LOCAL_IP ?? "127.0.0.1",
    TZ: "UTC",
  };
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_.,:=\/\[\]+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}
