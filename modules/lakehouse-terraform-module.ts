import { freshnessHours } from "./alerts/defaults";
import type { TerraformStack } from "cdktf";
import type { LakehouseConfig } from "./config/schema";
import { incrementalDatasets } from "./config/naming";
import { Lakehouse } from "./lakehouse";
import type { TerraformModuleDefinition } from "./terraform-module";
import { callerAccountAndRegion, moduleInput, moduleOutput } from "./terraform-module";
import { budgetModule } from "./budget/terraform-module";
import { glueInputs } from "./etl/terraform-module";

/**
 * `dist/modules/lakehouse`: the whole {@link Lakehouse} composition as one
 * module. Whatever the composition gains (ETL, ingestion) the module gains on
 * the next emit; only new inputs and outputs are declared here.
 *
 * Resource names are fixed when the module is emitted, `<prefix>-<environment>`
 * from the config (`npm run modules -- --environment prod`): the ingestion
 * construct validates its function name and the Glue database name is derived
 * with a character replacement, neither of which can see a Terraform variable's
 * value. Settings are inputs.
 */
export const lakehouseModule: TerraformModuleDefinition = {
  name: "lakehouse",
  description:
    "The whole lakehouse for one environment: storage, catalog, Glue jobs, analytics, budget and the synthetic order feed, " +
    "wired together from one config. Resource names (`<prefix>-<environment>-...`) are fixed when the module is emitted.",
  usage: { alert_emails: budgetModule.usage.alert_emails },
  build(stack, context) {
    const { config, environment } = context;
    const env = config.environments.find((e) => e.name === environment);
    if (!env) throw new Error(`environment "${environment}" is not in the config; allowed: ${config.environments.map((e) => e.name).join(", ")}`);
    const days = (name: string, description: string, value: number) =>
      moduleInput(stack, name, {
        type: "number",
        description,
        default: value,
        validation: [{ condition: `\${var.${name} >= 1 && floor(var.${name}) == var.${name}}`, errorMessage: `${name} must be a whole number of days, at least 1.` }],
      }).numberValue;
    const amount = moduleInput(stack, "monthly_budget_usd", {
      type: "number",
      description: "Monthly cost budget in US dollars",
      default: env.monthlyBudgetUsd ?? config.budget.monthlyUsd,
      validation: [{ condition: "${var.monthly_budget_usd > 0}", errorMessage: "monthly_budget_usd must be a positive amount." }],
    });
    const emails = moduleInput(stack, "alert_emails", {
      type: "list(string)",
      description: "Who is e-mailed at 80% of actual and 100% of forecast spend (at least one address)",
      validation: [{ condition: "${length(var.alert_emails) > 0}", errorMessage: "alert_emails must hold at least one e-mail address." }],
    });
    const cutoff = moduleInput(stack, "bytes_scanned_cutoff_per_query", {
      type: "number",
      description: "Athena per-query scan limit in bytes; Athena's minimum is 10485760 (10 MB)",
      default: config.athena.bytesScannedCutoffPerQuery,
      validation: [{ condition: "${var.bytes_scanned_cutoff_per_query >= 10485760}", errorMessage: "bytes_scanned_cutoff_per_query must be at least 10485760 (10 MB)." }],
    });
    const feedsOrders = config.ingestion.enabled && incrementalDatasets(config).length > 0;
    const schedule = feedsOrders
      ? moduleInput(stack, "ingestion_schedule", {
          type: "string",
          description: "EventBridge schedule of the synthetic order generator",
          default: config.ingestion.schedule,
          validation: [{ condition: '${can(regex("^(rate|cron)\\\\(.+\\\\)$", var.ingestion_schedule))}', errorMessage: 'ingestion_schedule must be "rate(N unit)" or "cron(...)".' }],
        }).stringValue
      : config.ingestion.schedule;

    const { accountId, region } = callerAccountAndRegion(stack);
    const moduleConfig: LakehouseConfig = {
      ...config,
      region,
      // This environment only; its budget override is now the input's default.
      environments: [{ name: environment }],
      storage: {
        ...config.storage,
        quarantineExpirationDays: days("quarantine_expiration_days", "Days before objects under quarantine/ expire", config.storage.quarantineExpirationDays),
        athenaResultsExpirationDays: days("athena_results_expiration_days", "Days before objects under athena-results/ expire", config.storage.athenaResultsExpirationDays),
        abortIncompleteUploadDays: days("abort_incomplete_upload_days", "Days before incomplete multipart uploads are aborted", config.storage.abortIncompleteUploadDays),
      },
      glue: glueConfigFromInputs(stack, config.glue),
      athena: { bytesScannedCutoffPerQuery: cutoff.numberValue },
      // An emitted module has no provider default tags (the caller's provider decides the tags), so
      // an environment-tag filter could see nothing: the module's budget counts the account.
      budget: { ...config.budget, scope: "account", monthlyUsd: amount.numberValue, alertEmails: emails.listValue },
      ingestion: { ...config.ingestion, schedule },
      // The schedule is an input here: the freshness window follows the config's schedule (the input's default).
      alerts: { ...config.alerts, freshnessHours: freshnessHours(config.alerts.freshnessHours, config.glue.incrementalSchedule) ?? null },
    };
    const lakehouse = new Lakehouse(stack, "lakehouse", { config: moduleConfig, environment, accountId, artifacts: context.artifacts });

    moduleOutput(stack, "bucket_name", lakehouse.storage.bucketName, "Name of the lake bucket");
    moduleOutput(stack, "bucket_arn", lakehouse.storage.bucketArn, "ARN of the lake bucket");
    moduleOutput(stack, "database_name", lakehouse.catalog.databaseName, "Glue database of the curated and raw tables");
    moduleOutput(stack, "raw_crawler_name", lakehouse.catalog.rawCrawlerName, "Crawler that catalogs the raw drops");
    moduleOutput(stack, "workgroup_name", lakehouse.analytics.workgroupName, "Athena workgroup for the analytics queries");
    moduleOutput(stack, "batch_job_name", lakehouse.etl.jobNames.batch, "Name of the Glue batch job");
    moduleOutput(stack, "incremental_job_name", lakehouse.etl.jobNames.incremental, "Name of the Glue incremental job");
    moduleOutput(stack, "budget_name", lakehouse.budget.budget.name, "Name of the monthly cost budget");
    if (lakehouse.alerts) moduleOutput(stack, "alerts_topic_arn", lakehouse.alerts.topicArn, "SNS topic every failure alert goes to");
    if (lakehouse.dashboard) moduleOutput(stack, "dashboard_name", lakehouse.dashboard.dashboardName, "CloudWatch dashboard of the pipeline");
    if (lakehouse.ingestion) {
      moduleOutput(stack, "ingestion_function_name", lakehouse.ingestion.functionName, "Lambda that writes synthetic orders to raw/");
    }
  },
};

/** The config's Glue settings with the module's inputs in place of the sizes, timeout, retries and schedule. */
function glueConfigFromInputs(stack: TerraformStack, glue: LakehouseConfig["glue"]): LakehouseConfig["glue"] {
  const inputs = glueInputs(stack, glue);
  return {
    ...glue,
    numberOfWorkers: inputs.numberOfWorkers!,
    timeoutMinutes: inputs.timeoutMinutes!,
    maxRetries: inputs.maxRetries!,
    incrementalSchedule: inputs.incrementalSchedule ?? null,
  };
}
