import { Construct } from "constructs";
import type { LakehouseConfig } from "./config/schema";
import { metricsNamespace } from "./config/metrics";
import { RESOURCE_NAMES, ZONES, databaseName, incrementalDatasets, qualityReportsRoot, resourcePrefix } from "./config/naming";
import { LakeStorage } from "./storage/lake-storage";
import { LakeCatalog } from "./catalog/lake-catalog";
import { LakeAnalytics } from "./analytics/lake-analytics";
import type { SqlQuery } from "./analytics/sql-queries";
import { CostBudget, environmentBudgetProps } from "./budget/cost-budget";
import { OrderIngestion, type FunctionCode } from "./ingestion/order-ingestion";
import { GlueJobs, type GlueJobScripts } from "./etl/glue-jobs";
import { PipelineAlerts } from "./alerts/pipeline-alerts";
import { PipelineDashboard } from "./alerts/pipeline-dashboard";
import { freshnessHours } from "./alerts/defaults";
import type { IAlertTopic } from "./alerts/alert-topic";

/**
 * What the lakehouse deploys that is built, not declared: made before synth
 * from the same config (`lakehouseArtifacts` in `scripts/build/artifacts.ts`
 * does it for this repository) and passed in.
 */
export interface LakehouseArtifacts {
  /** The Glue entry scripts rendered from the config, and the job library zip. */
  readonly glueScripts: GlueJobScripts;
  /** The generator Lambda's zip; required when a dataset declares an incremental feed. */
  readonly generatorCode?: FunctionCode;
  /** The analytics queries, their dataset references rendered for the config's table names. */
  readonly queries: readonly SqlQuery[];
}

export interface LakehouseProps {
  /** The validated config (see `resolveConfig`). */
  readonly config: LakehouseConfig;
  /** Which of `config.environments` this instance is. */
  readonly environment: string;
  /** AWS account id; part of the bucket name and of scoped IAM ARNs. */
  readonly accountId: string;
  /** The built artifacts for this config. */
  readonly artifacts: LakehouseArtifacts;
  /**
   * Publish the alerts to this topic instead of one made here (see `PipelineAlerts`
   * for what its policy must allow). Only with `alerts.enabled` in the config.
   * @default - a topic of its own, `<prefix>-<env>-alerts`
   */
  readonly alertTopic?: IAlertTopic;
}

/**
 * The whole lakehouse for one environment: storage, catalog, analytics and
 * budget, the Glue jobs and the generator Lambda, wired together from one
 * config and the artifacts built for it.
 */
export class Lakehouse extends Construct {
  readonly storage: LakeStorage;
  readonly catalog: LakeCatalog;
  readonly analytics: LakeAnalytics;
  readonly budget: CostBudget;
  /** The Glue batch and incremental jobs. */
  readonly etl: GlueJobs;
  /** The synthetic order feed; undefined when no dataset declares an incremental feed. */
  readonly ingestion?: OrderIngestion;
  /** Who is told when the pipeline fails; undefined when `alerts.enabled` is false. */
  readonly alerts?: PipelineAlerts;
  /** The environment's pipeline dashboard; undefined unless `alerts.enabled` and `alerts.dashboard`. */
  readonly dashboard?: PipelineDashboard;

  constructor(scope: Construct, id: string, props: LakehouseProps) {
    super(scope, id);
    const { config, environment, accountId, artifacts } = props;
    const env = config.environments.find((e) => e.name === environment);
    if (!env) {
      throw new Error(`environment "${environment}" is not in the config; allowed: ${config.environments.map((e) => e.name).join(", ")}`);
    }
    const prefix = resourcePrefix(config, environment);
    const namespace = metricsNamespace(prefix);
    const database = databaseName(config, environment);

    this.storage = new LakeStorage(this, "storage", {
      bucketName: RESOURCE_NAMES.lakeBucket(prefix, accountId),
      kmsKeyArn: config.storage.kmsKeyArn,
      quarantineExpirationDays: config.storage.quarantineExpirationDays,
      athenaResultsExpirationDays: config.storage.athenaResultsExpirationDays,
      abortIncompleteUploadDays: config.storage.abortIncompleteUploadDays,
    });

    // The jobs run the scripts rendered from the same config the catalog tables come from.
    this.etl = new GlueJobs(this, "etl", {
      storage: this.storage,
      datasets: config.datasets,
      scripts: artifacts.glueScripts,
      namePrefix: prefix,
      accountId,
      region: config.region,
      // The catalog is built after the jobs (it crawls with their security configuration); the name is known.
      databaseName: database,
      datasetsPerJob: config.glue.datasetsPerJob,
      systemPrefix: config.storage.systemPrefix,
      glueVersion: config.glue.version,
      workerType: config.glue.workerType,
      numberOfWorkers: config.glue.numberOfWorkers,
      timeoutMinutes: config.glue.timeoutMinutes,
      maxRetries: config.glue.maxRetries,
      executionClass: config.glue.flex ? "FLEX" : "STANDARD",
      incrementalSchedule: config.glue.incrementalSchedule,
      notifyDelayAfterMinutes: config.alerts.enabled ? config.alerts.jobRunLateAfterMinutes : undefined,
      // The jobs' counts feed the freshness and quality alarms and the dashboard.
      metricsNamespace: config.alerts.enabled ? namespace : undefined,
    });

    this.catalog = new LakeCatalog(this, "catalog", {
      storage: this.storage,
      databaseName: database,
      datasets: config.datasets,
      namePrefix: prefix,
      accountId,
      region: config.region,
      securityConfigurationName: this.etl.security.name,
    });

    this.analytics = new LakeAnalytics(this, "analytics", {
      storage: this.storage,
      workgroupName: RESOURCE_NAMES.workgroup(prefix),
      databaseName: this.catalog.databaseName,
      queries: artifacts.queries,
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
    });

    // Scoped by budget.scope: this environment's tagged costs (the default) or the whole account.
    this.budget = new CostBudget(this, "budget", environmentBudgetProps(config, environment));

    // Ingestion: the generator Lambda feeds the first dataset with an incremental feed (orders).
    const feed = incrementalDatasets(config)[0];
    if (feed?.incremental) {
      if (!artifacts.generatorCode) {
        throw new Error(`dataset "${feed.name}" declares an incremental feed, so the lakehouse deploys its generator: pass artifacts.generatorCode`);
      }
      this.ingestion = new OrderIngestion(this, "ingestion", {
        code: artifacts.generatorCode,
        storage: this.storage,
        functionName: RESOURCE_NAMES.generatorFunction(prefix),
        rawPrefix: `${ZONES.raw}${feed.incremental.rawFolder}/`,
        schedule: config.ingestion.schedule,
        scheduleEnabled: config.ingestion.enabled,
        ordersPerInvocation: config.ingestion.ordersPerInvocation,
        dirtyRate: config.ingestion.dirtyRate,
        reservedConcurrentExecutions: config.ingestion.reservedConcurrency,
      });
    }

    if (config.alerts.enabled) {
      this.alerts = new PipelineAlerts(this, "alerts", {
        namePrefix: prefix,
        environment,
        accountId,
        region: config.region,
        topic: props.alertTopic,
        emails: config.alerts.emails ?? config.budget.alertEmails,
        // Literal names (as the jobs and crawlers are named), so each pattern's size is known at synth and reads plainly in a diff.
        jobs: this.etl.allJobs.map((job) => ({ jobName: RESOURCE_NAMES.job(prefix, job.spec.id) })),
        crawlers: [
          { crawlerName: RESOURCE_NAMES.crawler(prefix, "raw") },
          ...(this.catalog.curatedCrawler ? [{ crawlerName: RESOURCE_NAMES.crawler(prefix, "curated") }] : []),
        ],
        generator: this.ingestion,
        jobRunHint: `the quality reports: s3://${this.storage.bucketName}/${qualityReportsRoot(config.storage.systemPrefix)}`,
        metrics: {
          namespace,
          feeds: incrementalDatasets(config).map((d) => ({ dataset: d.name, location: `s3://${this.storage.bucketName}/${ZONES.raw}${d.incremental!.rawFolder}/` })),
          freshnessHours: freshnessHours(config.alerts.freshnessHours, config.glue.incrementalSchedule),
          quarantinedPercent: config.alerts.quarantinedPercent ?? undefined,
          statusCommand: `npx lakehouse ops status -e ${environment}`,
          reportsLocation: `s3://${this.storage.bucketName}/${qualityReportsRoot(config.storage.systemPrefix)}`,
        },
      });
      if (config.alerts.dashboard) {
        this.dashboard = new PipelineDashboard(this, "dashboard", {
          dashboardName: RESOURCE_NAMES.dashboard(prefix),
          region: config.region,
          metricsNamespace: namespace,
          failedRunRuleNames: this.alerts.ruleNames["job-failed"],
          generatorFunctionName: this.ingestion ? RESOURCE_NAMES.generatorFunction(prefix) : undefined,
          workgroupName: RESOURCE_NAMES.workgroup(prefix),
          quarantinedPercent: config.alerts.quarantinedPercent ?? undefined,
        });
      }
    }
  }
}
