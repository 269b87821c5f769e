import { z } from "zod";
import { columnSchema, identifierSchema, partitioningSchema } from "./columns";
import { qualityRuleSchema } from "./quality";
import { scheduleExpressionProblem, type ScheduleKind } from "./schedule-expression";
import { ALERT_DEFAULTS } from "../alerts/defaults";
import { ATHENA_MIN_BYTES_SCANNED_CUTOFF, LAKE_ANALYTICS_DEFAULTS } from "../analytics/defaults";
import { COST_BUDGET_DEFAULTS } from "../budget/defaults";
import { GLUE_JOB_DEFAULTS } from "../etl/defaults";
import { ORDER_INGESTION_DEFAULTS } from "../ingestion/defaults";
import { sidPart } from "../iam/policy";
import { schedulePeriodHours } from "../budget/schedule";
import { lakeJobsOfKind, systemPrefixProblem } from "./naming";
import { LAKE_STORAGE_DEFAULTS } from "../storage/defaults";

/** The config says `glue.flex`; the job construct says `executionClass`. */
const GLUE_FLEX_DEFAULT = (GLUE_JOB_DEFAULTS.executionClass as string) === "FLEX";

/** Glue versions this project renders and tests for, with the Spark each runs. */
export const GLUE_SPARK_VERSIONS = {
  "5.0": "3.5.4",
  "5.1": "3.5.6",
} as const;
export type GlueVersion = keyof typeof GLUE_SPARK_VERSIONS;

/**
 * The Apache Iceberg each Glue version ships (`--datalake-formats iceberg`); the
 * local runs fetch `iceberg-spark-runtime` at this version, so both run the same.
 */
export const GLUE_ICEBERG_VERSIONS: Readonly<Record<GlueVersion, string>> = {
  "5.0": "1.7.1",
  "5.1": "1.10.0",
};

/** What an environment's AWS Budgets budget measures (`budget.scope`). */
export const BUDGET_SCOPES = ["environment", "account"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/** Glue batch worker types (G.025X is streaming-only, so it is not offered). */
export const GLUE_WORKER_TYPES = ["G.1X", "G.2X", "G.4X", "G.8X"] as const;

/** Where an incremental feed of a dataset arrives, and how its files look. */
export const incrementalSchema = z
  .object({
    /** Folder under `raw/` that receives new files. */
    rawFolder: identifierSchema,
    /** Incremental files are JSON lines. */
    format: z.literal("json").default("json"),
    /**
     * Column that decides which version of a key wins in an upsert (latest
     * wins). Not part of `columns`: it is ingestion metadata the generator
     * writes, kept in curated so a later delta can be compared with it.
     */
    orderByColumn: identifierSchema.default("ingested_at"),
  })
  .strict();

/** The table formats a curated dataset can have (`datasets[].format`). */
export const TABLE_FORMATS = ["parquet", "iceberg"] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
const DEFAULT_TABLE_FORMAT: TableFormat = "parquet";

export const datasetSchema = z
  .object({
    /** Dataset name; also its folder under `raw/` (`raw/<name>/*.csv`). */
    name: identifierSchema,
    /** Curated table name in the Glue catalog and its folder under `curated/`. */
    table: identifierSchema,
    description: z.string().max(2048).optional(),
    /** Raw columns in file order, typed. */
    columns: z.array(columnSchema).min(1),
    /** Columns that identify a row; duplicates by key are counted, not kept. */
    primaryKey: z.array(identifierSchema).min(1),
    /**
     * Columns added in curated, computed from another column. `date_of` gives the
     * UTC calendar date of a timestamp (e.g. `order_date` from `order_ts`).
     */
    derivedColumns: z
      .array(z.object({ name: identifierSchema, dateOf: identifierSchema }).strict())
      .default([]),
    /**
     * Table format of the curated table. `parquet`: a folder of Hive-partitioned
     * Parquet files that the jobs rewrite partition by partition. `iceberg`: an
     * Apache Iceberg table (format v2) whose commits are atomic; the jobs upsert
     * with `MERGE INTO` and the Glue catalog compacts it and expires snapshots.
     * @default "parquet"
     */
    format: z.enum(TABLE_FORMATS).default(DEFAULT_TABLE_FORMAT),
    /**
     * Partitioning of the curated table: Hive-style folders for `parquet`; for
     * `iceberg` the same integer columns as identity fields of the partition spec.
     * @default - unpartitioned
     */
    partitioning: partitioningSchema.optional(),
    /** Rules a row must pass to reach curated. */
    quality: z.array(qualityRuleSchema).default([]),
    /** An incremental feed of new rows for this dataset. @default - batch only */
    incremental: incrementalSchema.optional(),
  })
  .strict();

export type DatasetConfig = z.infer<typeof datasetSchema>;

/**
 * A schedule expression checked as EventBridge (rate or cron) or a Glue
 * trigger (cron only) checks it: see `schedule-expression.ts`.
 */
const scheduleSchema = (kind: ScheduleKind) =>
  z.string().superRefine((expression, ctx) => {
    const problem = scheduleExpressionProblem(expression, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Whole days of an S3 lifecycle rule: S3 needs at least 1 (0 would not mean "never"). */
const lifecycleDaysSchema = (max: number, what: string) =>
  z
    .number()
    .int(`must be a whole number of days`)
    .min(1, `must be at least 1 day (S3 lifecycle rules cannot expire ${what} after 0 days)`)
    .max(max, `must be at most ${max} days`);

/** A monthly amount in US dollars. The budget limit is set in cents, so less than 0.01 would be a $0.00 budget. */
const usdSchema = () =>
  z
    .number()
    .positive("must be a positive number of US dollars")
    // Only for a positive amount, so that a negative one reads one message (an aborting check would skip the cross checks).
    .superRefine((usd, ctx) => {
      if (usd > 0 && usd < 0.01) ctx.addIssue({ code: "custom", message: "must be at least 0.01 US dollars: the budget limit is set in cents, so less would be a $0.00 budget" });
    });

/**
 * The rules for `project.prefix` and environment names, as regex sources: the emitted Terraform
 * modules validate `name_prefix` (`<prefix>-<env>`) with the same ones.
 */
export const PROJECT_PREFIX_PATTERN = "[a-z0-9][a-z0-9-]{1,20}[a-z0-9]";
export const ENVIRONMENT_NAME_PATTERN = "[a-z][a-z0-9]{0,9}";

export const environmentSchema = z
  .object({
    /** Environment name, used in resource names and stack names. */
    name: z.string().regex(new RegExp(`^${ENVIRONMENT_NAME_PATTERN}$`), "must be 1-10 lower-case letters or digits, letter first"),
    /** Overrides the top-level budget for this environment; at least 0.01 (cents). @default - budget.monthlyUsd */
    monthlyBudgetUsd: usdSchema().optional(),
  })
  .strict();

export const lakehouseConfigSchema = z
  .object({
    project: z
      .object({
        /** Human name, used in tags. */
        name: z.string().min(1).max(64),
        /**
         * Prefix of every resource name, and of the bucket name
         * (`<prefix>-<env>-lake-<accountId>`). S3 naming: lower case, digits, hyphens.
         */
        prefix: z
          .string()
          .regex(
            new RegExp(`^${PROJECT_PREFIX_PATTERN}$`),
            "must be 3-22 characters of a-z, 0-9 and -, starting and ending with a letter or digit (it becomes part of the S3 bucket name)",
          )
          .refine((p) => !p.includes("--"), "must not contain consecutive hyphens"),
      })
      .strict(),
    /** AWS region of every stack. @default "eu-west-1" */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code such as "eu-west-1"')
      .default("eu-west-1"),
    /** One stack per environment. @default - dev only */
    environments: z.array(environmentSchema).min(1).default([{ name: "dev" }]),
    datasets: z.array(datasetSchema).min(1),
    storage: z
      .object({
        /** Customer managed KMS key for SSE-KMS. @default - SSE-S3 (AES256), no key cost */
        kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:/, "must be a KMS key ARN").optional(),
        /** Days before quarantined rows expire, 1..3650 (there is no "never": 0 is rejected). @default 30 */
        quarantineExpirationDays: lifecycleDaysSchema(3650, "quarantined rows").default(LAKE_STORAGE_DEFAULTS.quarantineExpirationDays),
        /** Days before Athena query results expire, 1..3650 (0 is rejected). @default 7 */
        athenaResultsExpirationDays: lifecycleDaysSchema(3650, "query results").default(LAKE_STORAGE_DEFAULTS.athenaResultsExpirationDays),
        /** Days before incomplete multipart uploads are aborted, 1..365 (0 is rejected). @default 1 */
        abortIncompleteUploadDays: lifecycleDaysSchema(365, "incomplete uploads").default(LAKE_STORAGE_DEFAULTS.abortIncompleteUploadDays),
        /**
         * Prefix of the lake's system keys (job scripts, scratch, manifests, quality reports),
         * for a bucket shared with other estates: `"teams/shop/"` puts them under
         * `teams/shop/_system/` and `teams/shop/quality_reports/`, and the roles follow. Folders
         * ending with `/`, at most 64 characters, not inside a zone. The data zones (`raw/`,
         * `curated/`, ...) stay at the root. @default "" (the bucket's root)
         */
        systemPrefix: z
          .string()
          .superRefine((prefix, ctx) => {
            const problem = systemPrefixProblem(prefix);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          })
          .default(""),
      })
      .strict()
      .prefault({}),
    glue: z
      .object({
        /** Glue version; always explicit (Glue picks 6.0 for jobs created without one). @default "5.0" */
        version: z.enum(Object.keys(GLUE_SPARK_VERSIONS) as [GlueVersion, ...GlueVersion[]]).default(GLUE_JOB_DEFAULTS.glueVersion),
        /** @default "G.1X" (1 DPU per worker) */
        workerType: z.enum(GLUE_WORKER_TYPES).default(GLUE_JOB_DEFAULTS.workerType),
        /** Workers per job run, 2..299; Glue's minimum is 2. @default 2 */
        numberOfWorkers: z
          .number()
          .int("must be a whole number of workers")
          .min(2, "must be at least 2, Glue's minimum for a Spark job")
          .max(299)
          .default(GLUE_JOB_DEFAULTS.numberOfWorkers),
        /** Job timeout in minutes, 1..2880; Glue's own default is 2880 (0 is rejected: it is not "no timeout"). @default 30 */
        timeoutMinutes: z
          .number()
          .int("must be a whole number of minutes")
          .min(1, "must be at least 1 minute (0 is not \"no timeout\"; Glue's longest is 2880)")
          .max(2880, "must be at most 2880 minutes, Glue's longest")
          .default(GLUE_JOB_DEFAULTS.timeoutMinutes),
        /**
         * Retries rerun the whole job; the jobs are idempotent, so 1 is safe. 0 means a
         * failed run is not retried (it stays failed until the next schedule or a manual run). @default 1
         */
        maxRetries: z.number().int().min(0, "must be 0 (no retries) or more").max(10).default(GLUE_JOB_DEFAULTS.maxRetries),
        /** Flex execution: cheaper, may start later; G.1X/G.2X only. @default false */
        flex: z.boolean().default(GLUE_FLEX_DEFAULT),
        /**
         * Datasets one Glue job processes at most, 1..100. A config with more gets more
         * jobs of the kind, in config order: `<prefix>-<env>-batch` for the first 25,
         * `-batch-2` for the next, and so on, each with its own least-privilege role (one
         * role for 200 datasets would outgrow IAM's policy quotas). A dataset whose foreign
         * key references a dataset of a later job is refused: declare referenced datasets
         * first. @default 25
         */
        datasetsPerJob: z
          .number()
          .int("must be a whole number of datasets")
          .min(1, "must be at least 1")
          .max(100, "must be at most 100 (a role for more datasets outgrows IAM's policy quotas)")
          .default(GLUE_JOB_DEFAULTS.datasetsPerJob),
        /**
         * Incremental job schedule, a Glue cron expression (six fields, one of day-of-month or
         * day-of-week `?`), or null for on demand only. @default "cron(0 2 * * ? *)" (daily)
         */
        incrementalSchedule: scheduleSchema("glue").nullable().default(GLUE_JOB_DEFAULTS.incrementalSchedule),
      })
      .strict()
      .prefault({}),
    athena: z
      .object({
        /** Per-query scan limit; Athena's minimum is 10 MB. @default 104857600 (100 MB) */
        bytesScannedCutoffPerQuery: z
          .number()
          .int()
          .min(ATHENA_MIN_BYTES_SCANNED_CUTOFF, "must be at least 10485760 (10 MB), Athena's minimum")
          .default(LAKE_ANALYTICS_DEFAULTS.bytesScannedCutoffPerQuery),
      })
      .strict()
      .prefault({}),
    budget: z
      .object({
        /** Monthly cost budget in USD, at least 0.01. @default 5 */
        monthlyUsd: usdSchema().default(COST_BUDGET_DEFAULTS.monthlyUsd),
        /** Who gets the 80% actual and 100% forecast alerts. @default [] (no notifications) */
        alertEmails: z.array(z.email("must be an e-mail address")).default([]),
        /** Allow a config whose cost estimate exceeds the budget. @default false */
        allowOverBudget: z.boolean().default(false),
        /**
         * What each environment's AWS Budgets budget measures. `"environment"`: only costs
         * tagged `environment=<name>` (the tag the provider puts on every resource), which is
         * what the cost estimate estimates; the tag must be activated once per account as a
         * cost allocation tag (Billing console, Cost allocation tags) or the budget sees
         * nothing. `"account"`: the whole account's costs, other workloads included.
         * @default "environment"
         */
        scope: z.enum(BUDGET_SCOPES).default("environment"),
      })
      .strict()
      .prefault({}),
    alerts: z
      .object({
        /**
         * Deploy the alerts: an SNS topic (with a KMS key of its own, $1/month) that the
         * jobs' and crawlers' failures and the generator's alarms publish to. @default true
         */
        enabled: z.boolean().default(true),
        /** Who is e-mailed each alert. @default - budget.alertEmails */
        emails: z.array(z.email("must be an e-mail address")).optional(),
        /**
         * Minutes after a job run starts before it is reported as late, 1..2879; below
         * glue.timeoutMinutes, which ends the run with an alert of its own. @default 15
         */
        jobRunLateAfterMinutes: z
          .number()
          .int("must be a whole number of minutes")
          .min(1, "must be at least 1 minute")
          .max(2879, "must be at most 2879 minutes (below Glue's longest timeout, 2880)")
          .default(ALERT_DEFAULTS.jobRunLateAfterMinutes),
        /**
         * Hours without a new file of a feed processed before its freshness alarm fires
         * (the incremental runs stopped, or the feed did), 1..168 (CloudWatch looks back at
         * most 7 days). @default - 3 periods of glue.incrementalSchedule, at most 168; none
         * when the schedule is null
         */
        freshnessHours: z
          .number()
          .int("must be a whole number of hours")
          .min(1, "must be at least 1 hour")
          .max(ALERT_DEFAULTS.maxFreshnessHours, `must be at most ${ALERT_DEFAULTS.maxFreshnessHours} hours (CloudWatch evaluates an alarm over at most 7 days)`)
          .nullable()
          .optional(),
        /**
         * A dataset's quarantined share of the rows one run read, in percent (0..100),
         * above which the run's job's quality alarm fires; null for no quality alarms
         * (one per Glue job, $0.10 each beyond the free ten). @default 5
         */
        quarantinedPercent: z
          .number()
          .min(0, "must be a percentage from 0 to 100")
          .max(100, "must be a percentage from 0 to 100")
          .nullable()
          .default(ALERT_DEFAULTS.quarantinedPercent),
        /**
         * Deploy a CloudWatch dashboard per environment (job runs, rows, quarantined share,
         * the generator, Athena bytes scanned): free within the account's three free
         * dashboards of up to 50 metrics, else $3/month. @default true
         */
        dashboard: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    ingestion: z
      .object({
        /** Deploy the EventBridge schedule for the generator. @default true */
        enabled: z.boolean().default(ORDER_INGESTION_DEFAULTS.scheduleEnabled),
        /**
         * How often the generator runs: an EventBridge `rate(N unit)` (singular unit for 1,
         * plural above) or six-field `cron(...)`. @default "rate(1 hour)"
         */
        schedule: scheduleSchema("eventbridge").default(ORDER_INGESTION_DEFAULTS.schedule),
        /** Orders per invocation, 1..10000 (0 is rejected; to stop the feed set `enabled: false`). @default 50 */
        ordersPerInvocation: z
          .number()
          .int("must be a whole number of orders")
          .min(1, "must be at least 1 (0 would write empty files); to stop the feed set ingestion.enabled: false")
          .max(10_000, "must be at most 10000")
          .default(ORDER_INGESTION_DEFAULTS.ordersPerInvocation),
        /** Share of generated rows made dirty on purpose, 0..1; 0 means every row is clean. @default 0 */
        dirtyRate: z.number().min(0, "must be between 0 (all clean) and 1").max(1, "must be between 0 and 1 (all dirty)").default(ORDER_INGESTION_DEFAULTS.dirtyRate),
        /**
         * Reserved concurrency of the generator, 1..1000, or null for no reservation. 0 is
         * rejected: Lambda would throttle every invocation and the generator would silently
         * never run (to stop it, set `enabled: false`). AWS keeps 10 executions unreserved per
         * account, so an account whose limit is still 10 must use null.
         * @default 2
         */
        reservedConcurrency: z
          .number()
          .int("must be a whole number of executions, or null for no reservation")
          .min(
            1,
            'must be at least 1: 0 reserves nothing and throttles every invocation, so the generator would never run. Use null for "no reservation", or ingestion.enabled: false to stop the schedule',
          )
          .max(1000, "must be at most 1000 (Lambda's default account limit)")
          .nullable()
          .default(ORDER_INGESTION_DEFAULTS.reservedConcurrentExecutions),
      })
      .strict()
      .prefault({}),
    backend: z
      .object({
        /**
         * Terraform Cloud organization; `TF_CLOUD_ORGANIZATION` overrides it.
         * @default - local backend under `terraform.<stack>.tfstate`
         */
        terraformCloudOrganization: z.string().min(1).optional(),
        /** Workspace name prefix; one workspace per stack, `<prefix><stack>`. @default "lakehouse-" */
        workspacePrefix: z.string().regex(/^[A-Za-z0-9_-]*$/).default("lakehouse-"),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  // Beside the field checks, in the same pass, so a person sees every bad field at once: the
  // cross checks run whenever the field errors left the config's shape whole (a value out of
  // range, a bad pattern), and wait for a second pass only when a value has the wrong type.
  .superRefine(checkCrossReferencesBesideFieldErrors, { when: crossChecksCanRead });

/** Field errors after which every value still has its declared type, so the cross checks can read it. */
const SHAPE_KEEPING_ISSUES: ReadonlySet<string> = new Set(["too_small", "too_big", "invalid_format", "invalid_value", "not_multiple_of", "unrecognized_keys", "custom"]);

/** Configs whose cross checks run beside field errors (see {@link checkCrossReferencesBesideFieldErrors}). */
const withFieldErrors = new WeakSet<object>();

function crossChecksCanRead(payload: z.core.ParsePayload): boolean {
  const canRead = payload.issues.every((issue) => SHAPE_KEEPING_ISSUES.has(issue.code));
  if (canRead && payload.issues.length > 0 && typeof payload.value === "object" && payload.value !== null) withFieldErrors.add(payload.value);
  return canRead;
}

/**
 * {@link checkCrossReferences}; beside field errors, a value it cannot read (one a
 * field check refused, in a way the cross checks did not foresee) adds nothing
 * rather than failing the parse: the field errors are reported either way.
 */
function checkCrossReferencesBesideFieldErrors(config: LakehouseConfig, ctx: z.RefinementCtx): void {
  try {
    checkCrossReferences(config, ctx);
  } catch (error) {
    if (!(error instanceof TypeError && withFieldErrors.has(config))) throw error;
  }
}

/** The config after defaults are applied: what every module reads. */
export type LakehouseConfig = z.infer<typeof lakehouseConfigSchema>;
/** The config as a user writes it: defaults may be left out. */
export type LakehouseConfigInput = z.input<typeof lakehouseConfigSchema>;

/** Checks that need more than one field: names that must refer to each other. */
function checkCrossReferences(config: LakehouseConfig, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  unique(config.datasets.map((d) => d.name)).forEach((dup) =>
    issue(["datasets"], `dataset name "${dup}" is used twice; names must be unique`),
  );
  unique(config.datasets.map((d) => d.table)).forEach((dup) =>
    issue(["datasets"], `table name "${dup}" is used twice; names must be unique`),
  );
  unique(config.environments.map((e) => e.name)).forEach((dup) =>
    issue(["environments"], `environment "${dup}" is declared twice`),
  );
  checkCollisions(config, issue);
  // Only against a timeout its own field check accepts (at least 1), which it reports otherwise.
  if (config.alerts.enabled && config.glue.timeoutMinutes >= 1 && config.alerts.jobRunLateAfterMinutes >= config.glue.timeoutMinutes) {
    issue(
      ["alerts", "jobRunLateAfterMinutes"],
      `must be below glue.timeoutMinutes (${config.glue.timeoutMinutes}): a run is stopped at its timeout, with an alert of its own, before it could be reported late`,
    );
  }
  const freshness = config.alerts.enabled ? config.alerts.freshnessHours : undefined;
  // Only for a schedule its own field check accepts (that check names any other).
  const schedule = config.glue.incrementalSchedule;
  const incrementalPeriod = schedule && !scheduleExpressionProblem(schedule, "glue") ? schedulePeriodHours(schedule) : undefined;
  if (typeof freshness === "number" && incrementalPeriod !== undefined && freshness >= 1 && freshness < incrementalPeriod) {
    issue(
      ["alerts", "freshnessHours"],
      `must be at least one period of glue.incrementalSchedule (${Math.round(incrementalPeriod * 10) / 10} hours): the alarm would fire between two healthy runs`,
    );
  }
  if (config.glue.flex && !["G.1X", "G.2X"].includes(config.glue.workerType)) {
    issue(["glue", "flex"], `flex execution needs workerType G.1X or G.2X, not ${config.glue.workerType}`);
  }

  const datasetsByName = new Map(config.datasets.map((d) => [d.name, d]));
  // Field checks run beside these: a datasetsPerJob they refuse splits nothing here (one job, as if 1..100 held).
  const perJob = Number.isInteger(config.glue.datasetsPerJob) && config.glue.datasetsPerJob >= 1 ? config.glue.datasetsPerJob : Math.max(1, config.datasets.length);
  const batchJobOf = new Map(
    lakeJobsOfKind("batch", config.datasets, perJob).flatMap((job, index) => job.datasets.map((name) => [name, { id: job.id, index }] as const)),
  );
  config.datasets.forEach((dataset, di) => {
    const at = (...rest: (string | number)[]) => ["datasets", di, ...rest];
    const columns = new Map(dataset.columns.map((c) => [c.name, c]));
    const allowed = () => [...columns.keys()].join(", ");
    unique(dataset.columns.map((c) => c.name)).forEach((dup) =>
      issue(at("columns"), `column "${dup}" is declared twice`),
    );
    dataset.primaryKey.forEach((key, ki) => {
      if (!columns.has(key)) issue(at("primaryKey", ki), `"${key}" is not a column of ${dataset.name}; allowed: ${allowed()}`);
    });
    dataset.derivedColumns.forEach((derived, i) => {
      const source = columns.get(derived.dateOf);
      if (!source || !["timestamp", "date"].includes(source.type)) {
        issue(at("derivedColumns", i, "dateOf"), `"${derived.dateOf}" must be a timestamp or date column of ${dataset.name}`);
      }
      if (columns.has(derived.name)) issue(at("derivedColumns", i, "name"), `"${derived.name}" clashes with a raw column`);
    });
    if (dataset.partitioning) {
      const { sourceColumn, keys } = dataset.partitioning;
      const source = columns.get(sourceColumn);
      const timestampColumns = dataset.columns.filter((c) => c.type === "timestamp" || c.type === "date");
      if (!source || (source.type !== "timestamp" && source.type !== "date")) {
        issue(
          at("partitioning", "sourceColumn"),
          `partition keys must derive from a timestamp or date column; "${sourceColumn}" is not one. Allowed: ${
            timestampColumns.map((c) => c.name).join(", ") || "(none declared)"
          }`,
        );
      } else if (source.type === "date" && keys.some((k) => k.transform === "hour")) {
        issue(at("partitioning", "keys"), `"hour" cannot be derived from date column "${sourceColumn}"; use a timestamp column`);
      }
      unique(keys.map((k) => k.transform)).forEach((dup) =>
        issue(at("partitioning", "keys"), `transform "${dup}" is used twice`),
      );
      keys.forEach((key, ki) => {
        if (columns.has(key.name) || dataset.derivedColumns.some((d) => d.name === key.name)) {
          issue(at("partitioning", "keys", ki, "name"), `partition key "${key.name}" clashes with a column of ${dataset.name}`);
        }
      });
    }
    dataset.quality.forEach((rule, ri) => {
      const ruleColumns = "columns" in rule ? rule.columns : "factors" in rule ? [rule.column, ...rule.factors] : [rule.column];
      ruleColumns.forEach((name) => {
        if (!columns.has(name)) issue(at("quality", ri), `rule ${rule.rule} names "${name}", not a column of ${dataset.name}; allowed: ${allowed()}`);
      });
      if (rule.rule === "foreign_key") {
        const target = datasetsByName.get(rule.references);
        if (!target) {
          issue(at("quality", ri, "references"), `"${rule.references}" is not a dataset; allowed: ${[...datasetsByName.keys()].join(", ")}`);
        } else if (target.primaryKey.length !== 1) {
          issue(
            at("quality", ri, "references"),
            `a foreign key references a one-column primary key; ${target.name}'s is composite (${target.primaryKey.join(", ")}), which foreign keys do not support`,
          );
        } else {
          const ownJob = batchJobOf.get(dataset.name)!;
          const targetJob = batchJobOf.get(target.name)!;
          if (targetJob.index > ownJob.index) {
            issue(
              at("quality", ri, "references"),
              `"${target.name}" is processed by the Glue job ${targetJob.id}, after this dataset's ${ownJob.id} (glue.datasetsPerJob ${config.glue.datasetsPerJob}), so its rows would not be there to check against; declare ${target.name} before ${dataset.name}`,
            );
          }
          // The check compares this column's values with the target's primary key (whatever the column's name).
          const key = target.columns.find((c) => c.name === target.primaryKey[0]);
          const own = columns.get(rule.column);
          if (key && own && key.type !== own.type) {
            issue(at("quality", ri, "column"), `foreign key ${rule.column} (${own.type}) must have the type of ${target.name}.${key.name} (${key.type}), the key it references`);
          }
        }
      }
    });
    if (dataset.incremental && columns.has(dataset.incremental.orderByColumn)) {
      issue(at("incremental", "orderByColumn"), `"${dataset.incremental.orderByColumn}" is ingestion metadata and must not be a raw column`);
    }
  });
}

/**
 * Datasets that would share something in the lake or in the synthesized
 * resources: a folder under `raw/` (each dataset's own, `raw/<name>/`, and its
 * feed's, `raw/<incremental.rawFolder>/`), or a table whose name renders to the
 * same IAM statement id (`dim_1` and `dim1` are both `Dim1`). Each is refused
 * naming both datasets.
 */
function checkCollisions(config: LakehouseConfig, issue: (path: (string | number)[], message: string) => void): void {
  const rawFolders = new Map<string, string>();
  config.datasets.forEach((dataset, di) => {
    const folders: [string, (string | number)[]][] = [[dataset.name, ["datasets", di, "name"]]];
    if (dataset.incremental) folders.push([dataset.incremental.rawFolder, ["datasets", di, "incremental", "rawFolder"]]);
    for (const [folder, path] of folders) {
      const owner = rawFolders.get(folder);
      if (owner !== undefined) {
        issue(path, `raw/${folder}/ is already the raw folder of dataset ${owner}; dataset ${dataset.name} needs a folder of its own (rename one of them)`);
      } else {
        rawFolders.set(folder, dataset.name);
      }
    }
  });
  const statementIds = new Map<string, string>();
  config.datasets.forEach((dataset, di) => {
    const sid = sidPart(dataset.table);
    const owner = statementIds.get(sid);
    if (owner !== undefined && owner !== dataset.table) {
      issue(["datasets", di, "table"], `"${dataset.table}" and "${owner}" both render to the IAM statement id part "${sid}"; rename one of the two tables`);
    }
    statementIds.set(sid, owner ?? dataset.table);
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
