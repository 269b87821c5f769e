import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { renderSql } from "../../modules/analytics/sql-queries";
import { configOption, loadConfigFile, REPOSITORY_ROOT } from "./load-config";
import { checkLakeForJob, checkLakeToRead, checkLakeToWrite, emptyLakeFolder } from "../local/lake-folder";
import { osReason } from "../lib/os-error";
import { formatResult } from "../local/format";
import { rememberBatchInputs, runLocalJobsOfKind } from "../local/jobs";
import { LAKE_ENGINES } from "../local/lake-engine";
import { runLocalPipeline, summarizeLake, type LocalRunResult } from "../local/pipeline";
import { consoleProgress } from "../local/progress";
import { writeLocalReport } from "../local/report";
import { JOB_KINDS, type JobKind } from "../../modules/config/naming";

/** The lake folder of `local run --s3` unless `--lake` says otherwise: the S3 run's copy stays apart from the folder run's lake. */
const S3_LAKE_DIR = ".lake-s3";

/** The IAM refusals of an S3 run, grouped: S3A probes the zone above a folder it creates and carries on when refused. */
function refusedCalls(denials: readonly { action: string; resource: string; prefix: string | null }[]): string {
  if (!denials.length) return "";
  const counts = new Map<string, number>();
  for (const d of denials) {
    const what = d.prefix !== null ? `${d.action} prefix=${d.prefix}` : `${d.action} ${d.resource.replace(/^arn:aws:s3:::[^/]+\//, "")}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return `\n               refused and tolerated: ${[...counts].map(([what, n]) => `${what} x${n}`).join(", ")}`;
}

/** What the runs published and whether every alarm on the jobs' metrics watches one of them. */
function metricsLine(run: LocalRunResult): string {
  const published = run.reports.reduce((sum, r) => sum + (r.metrics?.published ?? 0), 0);
  const failed = run.reports.filter((r) => r.metrics?.error).map((r) => `${r.run_id}: ${r.metrics!.error}`);
  const alarms = run.alarms!;
  const watch = alarms.watchingNothing.length
    ? `; ${alarms.watchingNothing.length} of ${alarms.count} alarms watch a metric no run published: ${alarms.watchingNothing.join(", ")}`
    : `; each of the ${alarms.count} alarms on them watches a metric the runs published`;
  return `${published} values published to CloudWatch under the jobs' roles${watch}${failed.length ? `; not published: ${failed.join("; ")}` : ""}`;
}

/** Options every `lakehouse local` command takes. */
interface LakeOptions {
  lake: string;
  config: string;
}

/** A path relative to the working directory when it is below it, else absolute. */
const displayPath = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
};

const withLakeOptions = (command: Command) =>
  command
    .option("--lake <dir>", "the local lake folder (same zones as the S3 bucket; it holds nothing else)", ".lake")
    .addOption(configOption());

/** How the lake folder is named in a refusal, and the project it must stay out of. */
const lakeFolder = (lakeDir: string) => ({ shown: lakeDir, projectRoot: REPOSITORY_ROOT });

// Bad values are commander's usage errors, naming the option: InvalidArgumentError, not Error.
const intOption = (value: string) => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number >= 0");
  return n;
};
const rateOption = (value: string) => {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("must be a rate between 0 and 1");
  return n;
};
const timeOption = (value: string) => {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new InvalidArgumentError("must be an ISO-8601 time such as 2026-11-25T12:00:00Z");
  return time;
};

type QueryOptions = LakeOptions & { sql?: string; format: "table" | "json" | "csv"; engine: keyof typeof LAKE_ENGINES };

function readSqlFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read SQL file ${file}: ${osReason(error)}`, { cause: error });
  }
}

/** `lakehouse local ...`: the lakehouse on embedded engines (local Spark, DuckDB), no AWS account. */
export function registerLocalCommands(program: Command): void {
  const local = program
    .command("local")
    .description("Run the lakehouse on this machine: Glue scripts on local Spark, analytics on DuckDB, a folder for S3");

  withLakeOptions(local.command("run"))
    .description("Seed sample data, run the batch job, N generator ticks each followed by the incremental job, then every sql/ query")
    .option("--seed <n>", "seed of the sample order history", intOption, 7)
    .option("--orders <n>", "historical orders in the seeded batch CSV", intOption, 5000)
    .option("--ticks <n>", "generator invocations (each followed by an incremental job run)", intOption, 3)
    .option("--dirty <rate>", "share of generated rows made dirty on purpose (0..1)", rateOption, 0.05)
    .option("--no-report", "do not write report.html")
    .option("--fresh", "empty the lake folder first (its zones and report; it refuses a folder holding anything else)")
    .option(
      "--s3",
      `run on S3 as on AWS: a local moto server with the synthesized bucket and roles, IAM enforced; each job and the generator use only their own role (lake folder default: ${S3_LAKE_DIR})`,
    )
    .action(async (options: LakeOptions & { seed: number; orders: number; ticks: number; dirty: number; report: boolean; s3?: boolean; fresh?: boolean }, command: Command) => {
      const config = loadConfigFile(options.config);
      const progress = consoleProgress();
      const lakeDir = options.s3 && command.getOptionValueSource("lake") === "default" ? S3_LAKE_DIR : options.lake;
      if (options.fresh) {
        const removed = emptyLakeFolder(config, lakeDir, lakeFolder(lakeDir));
        if (removed.length) console.log(`emptied ${lakeDir}: removed ${removed.map((name) => `${name}`).join(", ")}`);
      } else {
        checkLakeToWrite(config, lakeDir, lakeFolder(lakeDir));
      }
      const run = await runLocalPipeline({
        config,
        s3: options.s3 ?? false,
        lakeDir,
        seed: options.seed,
        orders: options.orders,
        ticks: options.ticks,
        dirtyRate: options.dirty,
        progress,
      });
      for (const { query, result } of run.queries) {
        console.log(`\n${query.name}: ${query.description}`);
        console.log(formatResult(result, "table", 10));
      }
      let reportPath: string | undefined;
      if (options.report) {
        const done = progress.step("report");
        reportPath = await writeLocalReport(config, run.lakeDir);
        done(displayPath(reportPath));
      }
      const summary = await summarizeLake(config, run.lakeDir);
      console.log(`\nSummary of ${displayPath(run.lakeDir)} after ${summary.runs} job runs:`);
      console.log(
        run.mode === "s3"
          ? `  mode:        S3 (local moto server, IAM enforced; every job and the generator under its synthesized role)${refusedCalls(run.denials)}`
          : "  mode:        folder (the lake folder stands in for S3; --s3 runs the same on S3 with IAM enforced)",
      );
      if (run.alarms) console.log(`  metrics:     ${metricsLine(run)}`);
      console.log(`  curated:     ${Object.entries(summary.curated).map(([t, n]) => `${t} ${n}`).join(", ")} rows`);
      const reasons = Object.entries(summary.quarantinedByReason).map(([r, n]) => `${r} ${n}`);
      console.log(`  quarantined: ${summary.quarantined} rows${reasons.length ? `; reasons (a row may have several): ${reasons.join(", ")}` : ""}`);
      console.log(`  duplicates:  ${summary.duplicates} rows dropped (latest version kept)`);
      console.log(`  read:        ${summary.rowsRead} rows = curated writes + quarantined + duplicates in every run`);
      if (reportPath) console.log(`  report:      ${displayPath(reportPath)}`);
    });

  withLakeOptions(local.command("job"))
    .description("Run one rendered Glue job on local Spark against whatever is in <lake>/raw/")
    .addArgument(new Argument("<job>", "which job").choices(JOB_KINDS))
    .option("--now <iso>", "the job's clock, e.g. 2026-11-25T12:00:00Z (default: now)", timeOption)
    .action(async (job: JobKind, options: LakeOptions & { now?: Date }) => {
      const config = loadConfigFile(options.config);
      checkLakeForJob(config, options.lake, job, lakeFolder(options.lake));
      // Every job of the kind (one, until the config has more than glue.datasetsPerJob datasets of it).
      const reports = await runLocalJobsOfKind({ config, lakeDir: options.lake, job, progress: consoleProgress(), now: options.now });
      if (job === "batch") rememberBatchInputs(config, options.lake, reports[0].run_id);
      for (const report of reports) console.log(JSON.stringify(report.totals, null, 2));
    });

  withLakeOptions(local.command("query"))
    .description(
      "Run SQL over the curated tables, named like the Glue catalog tables, on DuckDB or on Trino (Athena engine v3's engine); " +
        "dataset references ({{ dataset('orders') }}, as in sql/) are rendered as the config's table names first",
    )
    .argument("[file]", "a .sql file, e.g. sql/daily_revenue.sql")
    .option("--sql <text>", "SQL text instead of a file")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv"]).default("table"))
    .addOption(
      new Option("--engine <engine>", "duckdb (embedded, instant) or trino (a local Trino 476 server, about 20 s to start; bash scripts/setup-trino.sh installs it)")
        .choices(Object.keys(LAKE_ENGINES))
        .default("duckdb"),
    )
    .action(async (file: string | undefined, options: QueryOptions, command: Command) => {
      if (!file === !options.sql) command.error('error: give either a .sql file or --sql "...", not both or neither');
      const text = options.sql ?? readSqlFile(file!);
      const config = loadConfigFile(options.config);
      // A sql/ file names datasets; the engines get the config's table names (and no engine starts for a bad reference).
      const sql = renderSql(text, config, file ?? "--sql");
      checkLakeToRead(config, options.lake, lakeFolder(options.lake));
      const lake = await LAKE_ENGINES[options.engine].open(config, options.lake);
      try {
        console.log(formatResult(await lake.query(sql), options.format));
      } finally {
        await lake.close();
      }
    });

  withLakeOptions(local.command("report"))
    .description("Write <lake>/report.html: charts of the analytics and the data quality of every run, self-contained")
    .action(async (options: LakeOptions) => {
      const config = loadConfigFile(options.config);
      checkLakeToRead(config, options.lake, lakeFolder(options.lake));
      console.log(displayPath(await writeLocalReport(config, options.lake)));
    });
}
