import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { LakehouseConfig } from "../../modules/config/schema";
import { qualityReportsRoot, ZONES } from "../../modules/config/naming";
import { lakeJobsOfKind, type JobKind } from "../../modules/config/naming";
import { parseQualityReport, runGlueJobLocally, type LocalS3Target, type QualityReport } from "./glue-runner";
import type { LocalGlueSession } from "./glue-session";
import type { Progress } from "./progress";

/** A local job that did not succeed: one clear line, and where the full log is. */
export class LocalJobError extends Error {
  constructor(
    /** The lake job that failed (`batch`, `batch-2`, `incremental`, ...). */
    readonly job: string,
    readonly logPath: string,
    detail: string,
  ) {
    super(`${job} job failed: ${detail} (full log: ${logPath})`);
    this.name = "LocalJobError";
  }
}

export interface LocalJobOptions {
  readonly config: LakehouseConfig;
  readonly lakeDir: string;
  readonly job: JobKind;
  /** Which of the kind's jobs (`batch-2`, ...). @default - the kind's first */
  readonly lakeJob?: string;
  readonly progress: Progress;
  /** The job's clock. @default - now */
  readonly now?: Date;
  /** Run on a bucket on an S3 endpoint under the job's role. @default - the folder */
  readonly s3?: LocalS3Target;
  /** The run's shared Python process and SparkSession. @default - a process of its own */
  readonly session?: LocalGlueSession;
}

/** Runs one rendered Glue job on local Spark with progress lines; throws {@link LocalJobError} on failure. */
export async function runLocalJob(options: LocalJobOptions): Promise<QualityReport> {
  const where = options.s3 ? ` over s3://${options.s3.bucket}` : "";
  const done = options.progress.step(`${options.lakeJob ?? options.job} job on local Spark${where}`);
  const run = await runGlueJobLocally({
    config: options.config,
    job: options.job,
    lakeJob: options.lakeJob,
    lakeDir: options.lakeDir,
    now: options.now,
    s3: options.s3,
    session: options.session,
    onLine: (line) => options.progress.detail(line.replace(/^\[lakehouse\]\s*/, "")),
  });
  if (run.exitCode !== 0 || !run.report) {
    const reason = run.errorTail.filter((l) => /Error|Exception/.test(l)).pop() ?? run.errorTail[run.errorTail.length - 1] ?? `exit code ${run.exitCode}`;
    throw new LocalJobError(options.lakeJob ?? options.job, run.logPath, reason.trim());
  }
  const t = run.report.totals;
  done(`${t.rows_read} rows read, ${t.rows_written} curated, ${t.rows_quarantined} quarantined, ${t.duplicates_dropped} duplicates, ${t.files_processed} files`);
  return run.report;
}

/**
 * Runs every job of a kind in order (the kind's first job, then `-2`, ...), as
 * `lakehouse job start` does on AWS; stops at the first that fails.
 */
export async function runLocalJobsOfKind(options: LocalJobOptions & { readonly target?: (lakeJob: string) => LocalS3Target | undefined }): Promise<QualityReport[]> {
  const reports: QualityReport[] = [];
  for (const job of lakeJobsOfKind(options.job, options.config.datasets, options.config.glue.datasetsPerJob)) {
    reports.push(await runLocalJob({ ...options, lakeJob: job.id, s3: options.target?.(job.id) ?? options.s3 }));
  }
  return reports;
}

/** Where the local run remembers which raw batch files the last successful batch job saw. */
const BATCH_INPUTS = `${ZONES.system}local/batch-inputs.json`;

/** A content fingerprint of every file the batch job reads (`raw/<dataset>/`). */
export function batchInputsFingerprint(config: LakehouseConfig, lakeDir: string): string {
  const hash = createHash("sha256");
  for (const dataset of config.datasets) {
    for (const file of filesUnder(join(lakeDir, ZONES.raw, dataset.name))) {
      hash.update(relative(lakeDir, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

/** True when the batch job already ran successfully over exactly these raw files. */
export function batchInputsUnchanged(config: LakehouseConfig, lakeDir: string): boolean {
  const path = join(lakeDir, BATCH_INPUTS);
  if (!existsSync(path)) return false;
  return JSON.parse(readFileSync(path, "utf8")).fingerprint === batchInputsFingerprint(config, lakeDir);
}

export function rememberBatchInputs(config: LakehouseConfig, lakeDir: string, runId: string): void {
  const path = join(lakeDir, BATCH_INPUTS);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ fingerprint: batchInputsFingerprint(config, lakeDir), run_id: runId }, null, 2)}\n`);
}

/** Every quality report in the lake (under the config's `storage.systemPrefix`), oldest first. */
export function readQualityReports(lakeDir: string, systemPrefix: string): QualityReport[] {
  const root = join(lakeDir, qualityReportsRoot(systemPrefix));
  return filesUnder(root)
    .filter((file) => file.endsWith(".json"))
    .map((file) => parseQualityReport(readFileSync(file, "utf8"), file))
    .sort((a, b) => a.started_at.localeCompare(b.started_at) || a.run_id.localeCompare(b.run_id));
}

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}
