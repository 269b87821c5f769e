import { Argument, InvalidArgumentError, Option, type Command } from "commander";
import { awsClients, OpsError, type OpsClients } from "../ops/aws";
import { runCrawler } from "../ops/crawlers";
import { describeRun, formatJobRuns, listJobRuns, startJobRun, waitForJobRun, type JobTarget } from "../ops/glue-jobs";
import { fetchQualityReport, formatQualityReport, reportKey, unbalancedCounts } from "../ops/quality-report";
import { lakeJobs } from "../../modules/config/naming";
import { environmentStatus, formatStatus } from "../ops/status";
import { environmentOf, JOB_KINDS, jobNameOf, lakeOf, rawCrawlerNameOf, type Environment } from "../ops/targets";
import { checkEnvironmentOption, configOption, loadConfigFile } from "./load-config";

export interface OpsCommandDeps {
  /** AWS clients for a region. @default - real SDK clients (see scripts/ops/aws.ts) */
  readonly clients?: (region: string) => OpsClients;
}

interface CommonOptions {
  env?: string;
  config: string;
  region?: string;
  pollMs: number;
}

type StartOptions = CommonOptions & { jobName?: string; bucket?: string; wait?: boolean; timeout: number; arg?: Record<string, string> };

/**
 * `lakehouse crawl`, `lakehouse job start|runs`: operate the deployed
 * pipeline with the AWS SDK. Names come from the config (as the constructs
 * derive them) unless overridden.
 */
export function registerOpsCommands(program: Command, deps: OpsCommandDeps = {}): void {
  const clientsFor = deps.clients ?? ((region: string) => awsClients(region));

  withCommonOptions(program.command("crawl"))
    .description("Run the raw crawler (catalogs raw/ drops as raw_<folder> tables) and wait until it finishes")
    .option("--crawler <name>", "crawler name (default: <prefix>-<env>-raw-crawler)")
    .option("--timeout <seconds>", "give up waiting after this long", positiveInt, 900)
    .action(async (options: CommonOptions & { crawler?: string; timeout: number }, command: Command) => {
      const target = targetOf(options, command);
      const crawlerName = options.crawler ?? rawCrawlerNameOf(target);
      const { glue } = clientsFor(target.region);
      console.log(`starting crawler ${crawlerName} in ${target.region}`);
      const result = await runCrawler(
        glue,
        { crawlerName, region: target.region, stackName: stackOf(target) },
        {
          timeoutSeconds: options.timeout,
          initialDelayMs: options.pollMs,
          onState: (c) => console.log(`  ${c.State}${c.LastCrawl?.Status && c.State === "READY" ? ` (last crawl ${c.LastCrawl.Status})` : ""}`),
        },
      );
      if (result.joinedRunningCrawl) console.log("  (a crawl was already running; waited for it instead of starting another)");
      console.log(`crawler ${crawlerName} finished: ${result.crawler.LastCrawl?.Status ?? "READY"} after ${result.seconds} s`);
    });

  const job = program.command("job").description("Start Glue jobs and inspect their runs");

  withCommonOptions(job.command("start"))
    .description("Start a Glue job run; with --wait, follow it to the end and print its quality report")
    .addArgument(new Argument("<job>", `which job: ${JOB_KINDS.join(" or ")}, or a further job of a config with more than glue.datasetsPerJob datasets (batch-2, ...)`))
    .option("--job-name <name>", "Glue job name (default: <prefix>-<env>-<job>)")
    .option("--bucket <name>", "lake bucket holding quality_reports/ (default: the job's --lake_root)")
    .option("--wait", "wait for the run to end, then print its quality report")
    .option("--timeout <seconds>", "with --wait: give up waiting after this long", positiveInt, 3600)
    .option("--arg <key=value>", "job argument for this run, e.g. --arg now=2026-01-01T00:00:00Z (repeatable)", collectArg)
    .action(async (kind: string, options: StartOptions, command: Command) => {
      const target = targetOf(options, command);
      checkJobArgument(command, target, kind);
      const jobTarget: JobTarget = { jobName: options.jobName ?? jobNameOf(target, kind), region: target.region, stackName: stackOf(target) };
      const { glue, s3 } = clientsFor(target.region);
      const runId = await startJobRun(glue, jobTarget, options.arg ?? {});
      console.log(`started ${jobTarget.jobName} run ${runId}`);
      if (!options.wait) {
        console.log(`follow it with: lakehouse job runs ${kind}${options.jobName ? ` --job-name ${options.jobName}` : ""}`);
        return;
      }
      const run = await waitForJobRun(glue, jobTarget, runId, {
        timeoutSeconds: options.timeout,
        initialDelayMs: options.pollMs,
        onState: (r) => console.log(`  ${describeRun(r)}`),
        onRetry: (failed, retry) => console.log(`  attempt ${failed.Attempt ?? 0} failed; Glue retries it as ${retry.Id}`),
      });
      if (run.JobRunState !== "SUCCEEDED") {
        throw new OpsError(
          `Glue job ${jobTarget.jobName} run ${run.Id} ended ${run.JobRunState}: ${run.ErrorMessage ?? "no error message"}. ` +
            `Logs: CloudWatch ${run.LogGroupName ?? "/aws-glue/jobs"} (output and error streams named after the run id).`,
        );
      }
      console.log(`${jobTarget.jobName} run ${run.Id} SUCCEEDED${run.ExecutionTime !== undefined ? ` in ${run.ExecutionTime} s` : ""}`);
      const lake = await lakeOf(glue, target, jobTarget.jobName, options.bucket);
      const fetched = await fetchQualityReport(s3, lake, kind, run.Id ?? runId, target.region);
      if (!fetched) {
        console.error(
          `warning: no quality report at s3://${lake.bucket}/${reportKey(lake, kind, run.Id ?? runId)} (bucket from ${lake.source}). ` +
            "The job writes it as its last step; check the job's logs, or pass --bucket if the lake is elsewhere.",
        );
        return;
      }
      console.log(formatQualityReport(fetched));
      const unbalanced = unbalancedCounts(fetched.report);
      if (unbalanced.length > 0) {
        throw new OpsError(`the quality report of run ${run.Id} does not add up (${unbalanced.join("; ")}): rows were lost or double counted`);
      }
    });

  withCommonOptions(job.command("runs"))
    .description("Show recent runs of a Glue job, newest first")
    .addArgument(new Argument("<job>", `which job: ${JOB_KINDS.join(" or ")}, or a further job of a large config (batch-2, ...)`))
    .option("--job-name <name>", "Glue job name (default: <prefix>-<env>-<job>)")
    .option("--limit <n>", "how many runs", positiveInt, 10)
    .action(async (kind: string, options: CommonOptions & { jobName?: string; limit: number }, command: Command) => {
      const target = targetOf(options, command);
      checkJobArgument(command, target, kind);
      const jobTarget: JobTarget = { jobName: options.jobName ?? jobNameOf(target, kind), region: target.region, stackName: stackOf(target) };
      const runs = await listJobRuns(clientsFor(target.region).glue, jobTarget, options.limit);
      console.log(`${jobTarget.jobName} in ${target.region}`);
      console.log(formatJobRuns(runs));
    });

  registerStatusCommand(program, clientsFor);
}

/** `lakehouse ops status`: the last run of every job, the alarms and the feed's age, per environment. */
function registerStatusCommand(program: Command, clientsFor: (region: string) => OpsClients): void {
  const ops = program.command("ops").description("See how the deployed pipeline is doing");
  withCommonOptions(ops.command("status"))
    .description("Per environment (every one in the config unless --env): each job's last run (state, duration, rows), the alarms' states, the newest feed file's age")
    .action(async (options: CommonOptions, command: Command) => {
      const config = loadConfigFile(options.config);
      checkEnvironmentOption(command, config, options.env);
      const environments = options.env ? [options.env] : config.environments.map((e) => e.name);
      const now = new Date();
      const unread: string[] = [];
      // Each environment as soon as it is read; one that cannot be read does not hide the others.
      for (const [index, env] of environments.entries()) {
        const target = environmentOf(config, { env, region: options.region });
        if (index > 0) console.log("");
        try {
          console.log(formatStatus(await environmentStatus(clientsFor(target.region), target, now)));
        } catch (error) {
          if (!(error instanceof OpsError)) throw error;
          console.log(`${env} (${target.region}): cannot read its status: ${error.message}`);
          unread.push(env);
        }
      }
      if (unread.length) throw new OpsError(`could not read the status of ${unread.join(", ")} (said above)`);
    });
}

function withCommonOptions(command: Command): Command {
  return command
    .option("--env <name>", "environment from the config (default: the first one)")
    .addOption(configOption())
    .option("--region <region>", "AWS region (default: the config's region)")
    .addOption(new Option("--poll-ms <ms>", "first wait between status checks").argParser(positiveInt).default(2000).hideHelp());
}

function targetOf(options: CommonOptions, command: Command): Environment {
  const config = loadConfigFile(options.config);
  checkEnvironmentOption(command, config, options.env);
  return environmentOf(config, options);
}

/** Refuses a job the config does not have the way commander refuses a bad choice (a usage error, exit 2). */
function checkJobArgument(command: Command, target: Environment, job: string): void {
  const ids = lakeJobs(target.config).map((j) => j.id);
  if (!ids.includes(job)) {
    command.error(`error: command-argument value '${job}' is invalid for argument 'job'. Allowed choices are ${ids.join(", ")}.`, { code: "commander.invalidArgument" });
  }
}

const stackOf = (target: Environment) => `lakehouse-${target.environment}`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number >= 1");
  return n;
}

function collectArg(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^-{0,2}([A-Za-z0-9_.-]+)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError('must look like key=value, e.g. now=2026-01-01T00:00:00Z');
  return { ...previous, [`--${match[1]}`]: match[2] };
}
