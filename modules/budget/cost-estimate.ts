import type { BudgetScope, LakehouseConfig } from "../config/schema";
import { budgetScopeDescription } from "./budget-scope";
import { runsPerMonth } from "./schedule";
import { lakeJobsOfKind, type JobKind } from "../config/naming";
import { ORDER_INGESTION_DEFAULTS } from "../ingestion/defaults";
import { TABLE_MAINTENANCE_DEFAULTS } from "../catalog/defaults";
import { icebergDatasets } from "../config/iceberg";
import { LAKE_STORAGE_DEFAULTS } from "../storage/defaults";
import { freshnessHours } from "../alerts/defaults";
import { dashboardMetricCount } from "../alerts/pipeline-dashboard";
import { METRICS_PER_DATASET, METRICS_PER_JOB } from "../config/metrics";

/**
 * List prices in USD (eu-west-1 / us-east-1, November 2026). The estimate is a
 * guardrail against configs that cannot fit the budget, not an invoice.
 */
export const PRICES = {
  glueDpuHour: 0.44,
  glueFlexDpuHour: 0.29,
  /** Crawlers bill per DPU-hour with a 10-minute minimum per crawl. */
  crawlerDpuHour: 0.44,
  /** Iceberg table optimizers bill per DPU-hour at the ETL rate, per second with a 1-minute minimum per run. */
  tableOptimizerDpuHour: 0.44,
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  s3StandardGbMonth: 0.023,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  athenaPerTbScanned: 5,
  cloudwatchLogsIngestedGb: 0.5,
  kmsKeyMonth: 1,
  /** A standard-resolution metric alarm. */
  cloudwatchAlarmMonth: 0.1,
  /** A custom metric for a month (first 10,000), prorated by the hours it is published in. */
  cloudwatchMetricMonth: 0.3,
  /** A dashboard beyond the account's three free ones (of up to 50 metrics each). */
  cloudwatchDashboardMonth: 3,
  /** CloudWatch API requests such as PutMetricData, per 1,000. */
  cloudwatchRequestsPerThousand: 0.01,
} as const;

const DAYS_PER_MONTH = 730 / 24;
/** CloudWatch's always-free allowances per account: standard-resolution alarms, custom metrics, dashboards (of up to 50 metrics), API requests. */
const FREE_ALARMS = 10;
const FREE_METRICS = 10;
const FREE_DASHBOARD_METRICS = 50;
const FREE_API_REQUESTS = 1_000_000;
const HOURS_PER_MONTH = 730;
const GB = 1024 ** 3;

/** DPUs per Glue worker type. */
const DPU_PER_WORKER: Record<string, number> = { "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8 };

/**
 * What the estimate assumes about usage. Each default is a deliberately
 * pessimistic figure for a small e-commerce lake.
 */
export interface CostAssumptions {
  /** Minutes one incremental Glue run takes, start-up included. @default 3 */
  readonly incrementalRunMinutes: number;
  /** Minutes one batch Glue run takes. @default 6 */
  readonly batchRunMinutes: number;
  /** Batch runs per month (on demand). @default 4 */
  readonly batchRunsPerMonth: number;
  /** Raw crawler runs per month (on demand, before the batch job). @default 4 */
  readonly crawlsPerMonth: number;
  /** DPUs a crawl uses. @default 2 */
  readonly crawlerDpus: number;
  /** Milliseconds one generator invocation runs. @default 500 */
  readonly lambdaDurationMs: number;
  /** Lambda memory in MB. @default - the generator's (ORDER_INGESTION_DEFAULTS.memorySizeMb) */
  readonly lambdaMemoryMb: number;
  /** Bytes of one order in raw (JSON lines or CSV), plus its curated Parquet copy. @default 400 */
  readonly bytesPerOrder: number;
  /** Months of feed data kept in the lake (storage grows with it). @default 12 */
  readonly monthsRetained: number;
  /**
   * Orders in the raw CSV files the batch job reads; they stay in `raw/` and
   * their curated Parquet copy in `curated/`, so they are stored at
   * `bytesPerOrder` each like the feed. @default 1000000
   */
  readonly batchOrders: number;
  /** Bytes of one order in curated Parquet alone: what a partition rewrite leaves behind. @default 100 */
  readonly curatedBytesPerOrder: number;
  /**
   * Days bucket versioning keeps a replaced or deleted object version: the
   * lake's lifecycle rule (`LakeStorage` `noncurrentVersionExpirationDays`). @default - LAKE_STORAGE_DEFAULTS.noncurrentVersionExpirationDays (7)
   */
  readonly noncurrentVersionDays: number;
  /**
   * Daily partitions one incremental run rewrites (today's and, with late or
   * re-sent orders, yesterday's), each holding a day of feed orders. A batch
   * run rewrites every partition its orders are in. @default 2
   */
  readonly partitionsRewrittenPerIncrementalRun: number;
  /** Athena queries per month; each is billed at least 10 MB, at most the cutoff. @default 300 */
  readonly athenaQueriesPerMonth: number;
  /** S3 objects a Glue run writes (Parquet files, quarantine, report, manifest). @default 60 */
  readonly objectsWrittenPerGlueRun: number;
  /** Log volume one Glue run sends to CloudWatch, in MB. @default 5 */
  readonly logMbPerGlueRun: number;
  /**
   * DPUs one Iceberg table optimizer run is billed for. AWS bills the optimizers
   * at the Glue ETL rate per DPU-hour but documents neither the DPUs nor the
   * duration of a run (each run's metrics report them). @default 2
   */
  readonly optimizerRunDpus: number;
  /** Minutes one optimizer run is billed; over tables this small assumed to be the 1-minute minimum. @default 1 */
  readonly optimizerRunMinutes: number;
  /**
   * Compaction runs per job run that writes an Iceberg table. The optimizer
   * compacts only once small files pile up, so fewer in practice; one after
   * every write is the pessimistic bound. @default 1
   */
  readonly compactionRunsPerJobRun: number;
}

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  incrementalRunMinutes: 3,
  batchRunMinutes: 6,
  batchRunsPerMonth: 4,
  crawlsPerMonth: 4,
  crawlerDpus: 2,
  lambdaDurationMs: 500,
  lambdaMemoryMb: ORDER_INGESTION_DEFAULTS.memorySizeMb,
  bytesPerOrder: 400,
  monthsRetained: 12,
  batchOrders: 1_000_000,
  curatedBytesPerOrder: 100,
  noncurrentVersionDays: LAKE_STORAGE_DEFAULTS.noncurrentVersionExpirationDays,
  partitionsRewrittenPerIncrementalRun: 2,
  athenaQueriesPerMonth: 300,
  objectsWrittenPerGlueRun: 60,
  logMbPerGlueRun: 5,
  optimizerRunDpus: 2,
  optimizerRunMinutes: 1,
  compactionRunsPerJobRun: 1,
};

/** One line of the estimate: what, how it was computed, and the monthly USD. */
export interface CostLine {
  readonly item: string;
  readonly basis: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly environment: string;
  readonly lines: CostLine[];
  readonly totalUsd: number;
  readonly budgetUsd: number;
  /** What the environment's AWS Budgets budget measures (`budget.scope`). */
  readonly budgetScope: BudgetScope;
  /** The same, in words, for the printed estimate. */
  readonly budgetMeasures: string;
  readonly withinBudget: boolean;
  readonly assumptions: CostAssumptions;
  /** What the lines assume that their basis does not show; printed under the table. */
  readonly notes: string[];
}

/** Estimates one environment's monthly cost from the config, with the arithmetic shown per line. */
export function estimateMonthlyCost(
  config: LakehouseConfig,
  environment: string,
  assumptions: CostAssumptions = DEFAULT_COST_ASSUMPTIONS,
): CostEstimate {
  const { glue, ingestion, athena } = config;
  const env = config.environments.find((e) => e.name === environment);
  if (!env) throw new Error(`environment "${environment}" is not in the config`);
  const lines: CostLine[] = [];
  const add = (item: string, basis: string, monthlyUsd: number) => lines.push({ item, basis, monthlyUsd });

  const dpus = DPU_PER_WORKER[glue.workerType] * glue.numberOfWorkers;
  const dpuPrice = glue.flex ? PRICES.glueFlexDpuHour : PRICES.glueDpuHour;
  const priceLabel = `${glue.flex ? "flex" : "standard"} $${dpuPrice}/DPU-h`;
  // Glue bills per second with a 1-minute minimum per run.
  const billedMinutes = (minutes: number) => Math.max(1, minutes);
  const incrementalRuns = glue.incrementalSchedule ? runsPerMonth(glue.incrementalSchedule) : 0;
  // A config with more than glue.datasetsPerJob datasets of a kind has more jobs of it; each run bills its own minimum.
  const jobs = (kind: JobKind) => lakeJobsOfKind(kind, config.datasets, glue.datasetsPerJob).length;
  const jobsLabel = (kind: JobKind) => (jobs(kind) > 1 ? `${jobs(kind)} jobs x ` : "");
  add(
    jobs("incremental") > 1 ? "Glue incremental jobs" : "Glue incremental job",
    `${jobsLabel("incremental")}${round(incrementalRuns)} runs x ${dpus} DPU x ${billedMinutes(assumptions.incrementalRunMinutes)} min, ${priceLabel}`,
    (jobs("incremental") * incrementalRuns * dpus * billedMinutes(assumptions.incrementalRunMinutes) * dpuPrice) / 60,
  );
  add(
    jobs("batch") > 1 ? "Glue batch jobs" : "Glue batch job",
    `${jobsLabel("batch")}${assumptions.batchRunsPerMonth} runs x ${dpus} DPU x ${billedMinutes(assumptions.batchRunMinutes)} min, ${priceLabel}`,
    (jobs("batch") * assumptions.batchRunsPerMonth * dpus * billedMinutes(assumptions.batchRunMinutes) * dpuPrice) / 60,
  );
  add(
    "Glue raw crawler",
    `${assumptions.crawlsPerMonth} crawls x ${assumptions.crawlerDpus} DPU x 10 min minimum, $${PRICES.crawlerDpuHour}/DPU-h`,
    (assumptions.crawlsPerMonth * assumptions.crawlerDpus * 10 * PRICES.crawlerDpuHour) / 60,
  );
  const optimizers = tableOptimizerRuns(config, incrementalRuns, assumptions);
  if (optimizers.tables > 0) {
    const { compaction, retention, orphanFileDeletion } = optimizers;
    const runs = compaction + retention + orphanFileDeletion;
    const minutes = Math.max(1, assumptions.optimizerRunMinutes);
    add(
      "Glue table optimizers",
      `${optimizers.tables} Iceberg table${optimizers.tables === 1 ? "" : "s"}: ${round(runs)} runs (compaction ${round(compaction)}, retention ${round(retention)}, ` +
        `orphan files ${round(orphanFileDeletion)}) x ${assumptions.optimizerRunDpus} DPU x ${minutes} min, $${PRICES.tableOptimizerDpuHour}/DPU-h`,
      (runs * assumptions.optimizerRunDpus * minutes * PRICES.tableOptimizerDpuHour) / 60,
    );
  }

  const invocations = ingestion.enabled ? runsPerMonth(ingestion.schedule) : 0;
  const gbSeconds = invocations * (assumptions.lambdaMemoryMb / 1024) * (assumptions.lambdaDurationMs / 1000);
  add(
    "Lambda generator",
    `${round(invocations)} invocations x ${assumptions.lambdaMemoryMb} MB x ${assumptions.lambdaDurationMs} ms (arm64)`,
    gbSeconds * PRICES.lambdaArmGbSecond + (invocations / 1e6) * PRICES.lambdaPerMillionRequests,
  );

  // S3 holds the feed (raw JSON and curated Parquet, for monthsRetained), the batch's raw CSV and
  // its curated Parquet, and the noncurrent versions versioning keeps after every partition rewrite:
  // each rewrite leaves the replaced files for noncurrentVersionDays, so on average a month holds
  // (bytes rewritten per month) x (noncurrentVersionDays / days per month).
  const ordersPerMonth = invocations * ingestion.ordersPerInvocation;
  const feedGb = (ordersPerMonth * assumptions.bytesPerOrder * assumptions.monthsRetained) / GB;
  const batchGb = (assumptions.batchOrders * assumptions.bytesPerOrder) / GB;
  const batchRewriteGb = (assumptions.batchOrders * assumptions.curatedBytesPerOrder) / GB;
  const partitionGb = ((ordersPerMonth / DAYS_PER_MONTH) * assumptions.curatedBytesPerOrder) / GB;
  const rewrittenGbPerMonth =
    assumptions.batchRunsPerMonth * batchRewriteGb + incrementalRuns * assumptions.partitionsRewrittenPerIncrementalRun * partitionGb;
  const noncurrentGb = rewrittenGbPerMonth * (assumptions.noncurrentVersionDays / DAYS_PER_MONTH);
  const storedGb = feedGb + batchGb + noncurrentGb;
  add(
    "S3 storage",
    `feed ${feedGb.toFixed(2)} GB + batch ${batchGb.toFixed(2)} GB + old versions ${noncurrentGb.toFixed(2)} GB = ${storedGb.toFixed(2)} GB`,
    storedGb * PRICES.s3StandardGbMonth,
  );
  const notes = [
    `S3 storage counts the feed's raw JSON and curated Parquet (${round(ordersPerMonth)} orders/month x ${assumptions.bytesPerOrder} B, ` +
      `kept ${assumptions.monthsRetained} months), the batch job's raw CSV and curated Parquet (${assumptions.batchOrders} orders x ` +
      `${assumptions.bytesPerOrder} B), and the noncurrent versions bucket versioning keeps for ${assumptions.noncurrentVersionDays} days ` +
      `after each partition rewrite (${assumptions.batchRunsPerMonth} batch runs x ${assumptions.batchOrders} orders and ` +
      `${round(incrementalRuns)} incremental runs x ${assumptions.partitionsRewrittenPerIncrementalRun} daily partitions, ` +
      `${assumptions.curatedBytesPerOrder} B per order in Parquet).`,
  ];
  if (optimizers.tables > 0) {
    notes.push(
      `Glue table optimizers: AWS bills them per DPU-hour at the Glue ETL rate, per second with a 1-minute minimum, and does not ` +
        `document a run's DPUs or duration: each run is assumed to bill ${assumptions.optimizerRunDpus} DPU x ${assumptions.optimizerRunMinutes} min; ` +
        `compaction runs ${assumptions.compactionRunsPerJobRun}x after every job run that writes an Iceberg table (it runs only once small files pile up), ` +
        `retention and orphan file deletion once per run rate (${TABLE_MAINTENANCE_DEFAULTS.retentionRunRateInHours} h and ` +
        `${TABLE_MAINTENANCE_DEFAULTS.orphanFileDeletionRunRateInHours} h). Once deployed, compare with the DpuHours of ListTableOptimizerRuns. ` +
        `Files replaced in an Iceberg table stay until snapshot retention expires them (${TABLE_MAINTENANCE_DEFAULTS.snapshotRetentionPeriodInDays} days), ` +
        `then as old versions; S3 storage does not count those extra days.`,
    );
  }
  const glueRuns = jobs("incremental") * incrementalRuns + jobs("batch") * assumptions.batchRunsPerMonth;
  const puts = invocations + glueRuns * assumptions.objectsWrittenPerGlueRun;
  const gets = glueRuns * assumptions.objectsWrittenPerGlueRun * 2 + assumptions.athenaQueriesPerMonth * 50;
  add(
    "S3 requests",
    `${Math.round(puts)} PUT, ${Math.round(gets)} GET`,
    (puts / 1000) * PRICES.s3PutPerThousand + (gets / 1000) * PRICES.s3GetPerThousand,
  );

  const bytesPerQuery = Math.max(10 * 1024 ** 2, athena.bytesScannedCutoffPerQuery);
  add(
    "Athena queries",
    `${assumptions.athenaQueriesPerMonth} queries x ${(bytesPerQuery / 1024 ** 2).toFixed(0)} MB (the cutoff, worst case), $${PRICES.athenaPerTbScanned}/TB`,
    (assumptions.athenaQueriesPerMonth * bytesPerQuery * PRICES.athenaPerTbScanned) / 1024 ** 4,
  );
  add(
    "CloudWatch logs",
    `${round(glueRuns)} Glue runs x ${assumptions.logMbPerGlueRun} MB, $${PRICES.cloudwatchLogsIngestedGb}/GB`,
    ((glueRuns * assumptions.logMbPerGlueRun) / 1024) * PRICES.cloudwatchLogsIngestedGb,
  );
  if (config.storage.kmsKeyArn) add("KMS key", "1 customer managed key", PRICES.kmsKeyMonth);
  if (config.alerts.enabled) {
    const monitoring = monitoringUsage(config, incrementalRuns, assumptions.batchRunsPerMonth, jobs);
    const billedAlarms = Math.max(0, monitoring.alarms - FREE_ALARMS);
    add(
      "Alerts",
      `topic's KMS key $${PRICES.kmsKeyMonth} + ${monitoring.alarms} alarms (${monitoring.alarmsBasis}; ${billedAlarms} beyond the free ${FREE_ALARMS}) x $${PRICES.cloudwatchAlarmMonth}; events and e-mails free`,
      PRICES.kmsKeyMonth + billedAlarms * PRICES.cloudwatchAlarmMonth,
    );
    const billedMetricMonths = Math.max(0, monitoring.metricMonths - FREE_METRICS);
    const billedRequests = Math.max(0, monitoring.putRequests - FREE_API_REQUESTS);
    add(
      "Pipeline metrics",
      `${monitoring.metrics} metrics published in ${round(monitoring.metricMonths * HOURS_PER_MONTH)} metric-hours = ${monitoring.metricMonths.toFixed(2)} metric-months ` +
        `(${billedMetricMonths.toFixed(2)} beyond the free ${FREE_METRICS}) x $${PRICES.cloudwatchMetricMonth}; ${round(monitoring.putRequests)} PutMetricData requests`,
      billedMetricMonths * PRICES.cloudwatchMetricMonth + (billedRequests / 1000) * PRICES.cloudwatchRequestsPerThousand,
    );
    if (config.alerts.dashboard) {
      const free = monitoring.dashboardMetrics <= FREE_DASHBOARD_METRICS;
      add(
        "Dashboard",
        `1 dashboard of ${monitoring.dashboardMetrics} metrics${free ? `, within a free dashboard (up to ${FREE_DASHBOARD_METRICS} metrics)` : ""}`,
        free ? 0 : PRICES.cloudwatchDashboardMonth,
      );
    }
    notes.push(
      `Alerts and metrics assume AWS's always-free allowances: ${FREE_ALARMS} standard alarms, ${FREE_METRICS} custom metrics, 3 dashboards of up to ` +
        `${FREE_DASHBOARD_METRICS} metrics, 1,000,000 CloudWatch API requests, 1,000 SNS e-mail notifications and 20,000 KMS requests a month; ` +
        `EventBridge does not charge for the Glue events its rules match. A custom metric bills only for the hours it is published in ` +
        `(each run publishes once). In an account whose other workloads already use the free allowances, add $${PRICES.cloudwatchAlarmMonth} per alarm ` +
        `(${monitoring.alarms} here), $${PRICES.cloudwatchMetricMonth} per metric-month (${monitoring.metricMonths.toFixed(2)} here)` +
        `${config.alerts.dashboard ? ` and $${PRICES.cloudwatchDashboardMonth} for the dashboard (or set alerts.dashboard: false)` : ""}.`,
    );
  }

  const totalUsd = lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
  const budgetUsd = env.monthlyBudgetUsd ?? config.budget.monthlyUsd;
  const budgetScope = config.budget.scope;
  return {
    environment,
    lines,
    totalUsd,
    budgetUsd,
    budgetScope,
    budgetMeasures: budgetScopeDescription(budgetScope, environment),
    withinBudget: totalUsd <= budgetUsd,
    assumptions,
    notes,
  };
}

/**
 * Fails when an environment's estimate exceeds its budget, unless the config
 * sets `budget.allowOverBudget`. Called before synth, so such a config never
 * reaches a plan.
 */
export function assertWithinBudget(config: LakehouseConfig): void {
  if (config.budget.allowOverBudget) return;
  const over = config.environments
    .map((env) => estimateMonthlyCost(config, env.name))
    .filter((estimate) => !estimate.withinBudget);
  if (over.length === 0) return;
  const detail = over
    .map((e) => {
      const biggest = [...e.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd)[0];
      return `  - ${e.environment}: estimated $${e.totalUsd.toFixed(2)}/month > budget $${e.budgetUsd.toFixed(2)}; largest item: ${biggest.item} $${biggest.monthlyUsd.toFixed(2)} (${biggest.basis})`;
    })
    .join("\n");
  throw new Error(
    `The cost estimate exceeds the budget:\n${detail}\n` +
      "Lower the schedule, workers or run time, use glue.flex, raise budget.monthlyUsd, or set budget.allowOverBudget: true. " +
      "Run `npx lakehouse cost` for the full estimate.",
  );
}

/**
 * Optimizer runs per month over every Iceberg table, by optimizer: compaction
 * after the job runs that write the table, retention and orphan file deletion
 * on their run rates (the construct's defaults: the config does not set them).
 */
function tableOptimizerRuns(config: LakehouseConfig, incrementalRuns: number, assumptions: CostAssumptions) {
  const tables = icebergDatasets(config);
  const hoursPerMonth = DAYS_PER_MONTH * 24;
  const d = TABLE_MAINTENANCE_DEFAULTS;
  const writes = tables.reduce((sum, t) => sum + assumptions.batchRunsPerMonth + (t.incremental ? incrementalRuns : 0), 0);
  return {
    tables: tables.length,
    compaction: d.compactionEnabled ? writes * assumptions.compactionRunsPerJobRun : 0,
    retention: d.retentionEnabled ? (tables.length * hoursPerMonth) / d.retentionRunRateInHours : 0,
    orphanFileDeletion: d.orphanFileDeletionEnabled ? (tables.length * hoursPerMonth) / d.orphanFileDeletionRunRateInHours : 0,
  };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * The monitoring `Lakehouse` deploys for a config, counted as CloudWatch bills
 * it: alarms (the generator's, one freshness alarm per feed, one quality alarm
 * per job), the jobs' custom metrics (`modules/config/metrics.ts`) by the
 * hours they are published in, PutMetricData requests, and the dashboard's metrics.
 */
function monitoringUsage(config: LakehouseConfig, incrementalRuns: number, batchRuns: number, jobs: (kind: JobKind) => number) {
  const feeds = config.datasets.filter((d) => d.incremental);
  const generatorAlarms = feeds.length > 0 ? (config.ingestion.enabled ? 3 : 2) : 0;
  const freshness = freshnessHours(config.alerts.freshnessHours, config.glue.incrementalSchedule) === undefined ? 0 : feeds.length;
  const quality = config.alerts.quarantinedPercent === null ? 0 : jobs("batch") + jobs("incremental");
  const alarms = generatorAlarms + freshness + quality;
  const alarmsBasis = `generator ${generatorAlarms}, freshness ${freshness}, quality ${quality}`;
  // A metric bills for each hour it is published in, at most every hour of the month; each run publishes once.
  const hours = (runs: number) => Math.min(HOURS_PER_MONTH, runs);
  const batchHours = hours(batchRuns);
  const feedHours = hours(batchRuns + incrementalRuns);
  const metricHours =
    jobs("batch") * METRICS_PER_JOB * batchHours +
    jobs("incremental") * METRICS_PER_JOB * hours(incrementalRuns) +
    (config.datasets.length - feeds.length) * METRICS_PER_DATASET * batchHours +
    feeds.length * METRICS_PER_DATASET * feedHours;
  const metrics = (jobs("batch") + jobs("incremental")) * METRICS_PER_JOB + config.datasets.length * METRICS_PER_DATASET;
  // One request per run of up to 1000 values (lakehouse_etl/metrics.py).
  const valuesPerRun = (datasets: number) => Math.ceil((METRICS_PER_JOB + datasets * METRICS_PER_DATASET) / 1000);
  const putRequests = jobs("batch") * batchRuns * valuesPerRun(config.glue.datasetsPerJob) + jobs("incremental") * incrementalRuns * valuesPerRun(config.glue.datasetsPerJob);
  const dashboardMetrics = dashboardMetricCount(
    { failedRunRuleNames: ["job-failed"], generatorFunctionName: feeds.length > 0 ? "generator" : undefined, workgroupName: "workgroup" },
    config.datasets.length,
    jobs("batch") + jobs("incremental"),
  );
  return { alarms, alarmsBasis, metrics, metricMonths: metricHours / HOURS_PER_MONTH, putRequests, dashboardMetrics };
}
