import type { TerraformStack } from "cdktf";
import type { LakehouseConfig } from "../config/schema";
import type { TerraformModuleDefinition } from "../terraform-module";
import { callerAccountAndRegion, databaseNameInput, existingLakeInputs, moduleInput, moduleOutput, namePrefixValidation } from "../terraform-module";
import { icebergDatasets } from "../config/iceberg";
import { GlueJobs, type GlueJobsProps } from "./glue-jobs";

/**
 * `dist/modules/etl`: the Glue batch and incremental jobs with their rendered
 * scripts. The scripts, the Glue version, worker type and execution class come
 * from the config when the module is emitted (the scripts are rendered for
 * that Glue version), as do the job split (`glue.datasetsPerJob`) and the
 * system-key prefix (`storage.systemPrefix`); sizes, timeouts and the schedule are inputs.
 */
export const etlModule: TerraformModuleDefinition = {
  name: "etl",
  description:
    "The Glue batch job (raw CSV -> curated Parquet) and incremental job (new JSON orders -> upsert into curated), " +
    "each with its own least-privilege role, the scripts rendered from the dataset config as S3 objects, one Glue " +
    "security configuration, and the incremental job's schedule.",
  // database_name is an input only when the config has Iceberg tables.
  usage: { bucket_name: "module.storage.bucket_name", name_prefix: '"shoplake-dev"', database_name: "module.catalog.database_name" },
  build(stack, context) {
    const { glue } = context.config;
    const storage = existingLakeInputs(stack, context);
    const prefix = moduleInput(stack, "name_prefix", {
      type: "string",
      description: "Stem of the job, role, trigger and security configuration names, e.g. `shoplake-dev`",
      validation: namePrefixValidation("name_prefix"),
    });
    // Only a config with Iceberg tables needs the database: the jobs commit to their catalog entries.
    const databaseName =
      icebergDatasets(context.config).length > 0
        ? databaseNameInput(stack, "Glue database of the curated tables (the catalog module's `database_name`): the Iceberg tables' catalog entries").stringValue
        : undefined;
    const { accountId, region } = callerAccountAndRegion(stack);
    const jobs = new GlueJobs(stack, "etl", {
      storage,
      datasets: context.config.datasets,
      databaseName,
      ...glueInputs(stack, glue),
      scripts: context.artifacts.glueScripts,
      // Fixed when the module is emitted, as the scripts are: they are rendered with the same split.
      datasetsPerJob: glue.datasetsPerJob,
      systemPrefix: context.config.storage.systemPrefix,
      namePrefix: prefix.stringValue,
      accountId,
      region,
    });

    moduleOutput(stack, "batch_job_name", jobs.jobNames.batch, "Name of the Glue batch job");
    moduleOutput(stack, "incremental_job_name", jobs.jobNames.incremental, "Name of the Glue incremental job");
    moduleOutput(stack, "security_configuration_name", jobs.security.name, "Glue security configuration the jobs run with");
  },
};

/** The job settings of {@link GlueJobsProps}. */
export type GlueJobSettings = Pick<
  GlueJobsProps,
  "glueVersion" | "workerType" | "executionClass" | "numberOfWorkers" | "timeoutMinutes" | "maxRetries" | "incrementalSchedule"
>;

/**
 * The Glue settings a caller may change without re-rendering the scripts:
 * sizes, timeout, retries and the incremental schedule, defaulting to the
 * config's. Shared by the `etl` and `lakehouse` modules.
 */
export function glueInputs(stack: TerraformStack, glue: LakehouseConfig["glue"]): GlueJobSettings {
  const workers = moduleInput(stack, "number_of_workers", {
    type: "number",
    description: `Workers per job run (${glue.workerType}); Glue's minimum is 2`,
    default: glue.numberOfWorkers,
    validation: [{ condition: "${var.number_of_workers >= 2 && var.number_of_workers <= 299}", errorMessage: "number_of_workers must be 2..299." }],
  });
  const timeout = moduleInput(stack, "timeout_minutes", {
    type: "number",
    description: "Job run timeout in minutes",
    default: glue.timeoutMinutes,
    validation: [{ condition: "${var.timeout_minutes >= 1 && var.timeout_minutes <= 2880}", errorMessage: "timeout_minutes must be 1..2880." }],
  });
  const retries = moduleInput(stack, "max_retries", {
    type: "number",
    description: "Retries of a failed run; a retry reruns the whole (idempotent) job",
    default: glue.maxRetries,
    validation: [{ condition: "${var.max_retries >= 0 && var.max_retries <= 10}", errorMessage: "max_retries must be 0..10." }],
  });
  // Without a schedule in the config the module has no trigger, and so no schedule input.
  const schedule = glue.incrementalSchedule
    ? moduleInput(stack, "incremental_schedule", {
        type: "string",
        description: "Glue cron expression of the incremental job's schedule",
        default: glue.incrementalSchedule,
        validation: [
          { condition: '${can(regex("^cron\\\\([^)]+\\\\)$", var.incremental_schedule))}', errorMessage: 'incremental_schedule must be a Glue cron expression such as "cron(0 2 * * ? *)".' },
        ],
      }).stringValue
    : null;
  return {
    glueVersion: glue.version,
    workerType: glue.workerType,
    executionClass: glue.flex ? "FLEX" : "STANDARD",
    numberOfWorkers: workers.numberValue,
    timeoutMinutes: timeout.numberValue,
    maxRetries: retries.numberValue,
    incrementalSchedule: schedule,
  };
}
