import { Construct } from "constructs";
import type { LakehouseConfig } from "./config/schema";
import { ZONES, databaseName, incrementalDatasets, resourcePrefix } from "./config/naming";
import { LakeStorage } from "./storage/lake-storage";
import { LakeCatalog } from "./catalog/lake-catalog";
import { LakeAnalytics } from "./analytics/lake-analytics";
import { loadSqlQueries, type SqlQuery } from "./analytics/sql-queries";
import { CostBudget, environmentBudgetProps } from "./budget/cost-budget";
import { OrderIngestion } from "./ingestion/order-ingestion";
import { GlueJobs } from "./etl/glue-jobs";
import { renderGlueScripts } from "./etl/render";

export interface LakehouseProps {
  /** The validated config (see `resolveConfig`). */
  readonly config: LakehouseConfig;
  /** Which of `config.environments` this instance is. */
  readonly environment: string;
  /** AWS account id; part of the bucket name and of scoped IAM ARNs. */
  readonly accountId: string;
  /** Analytics queries to publish. @default - every file in the repository's `sql/` */
  readonly queries?: readonly SqlQuery[];
}

/**
 * The whole lakehouse for one environment: storage, catalog, analytics and
 * budget, wired together from one config. ETL (Glue jobs) and ingestion (the
 * generator Lambda) plug in below through their own modules.
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

  constructor(scope: Construct, id: string, props: LakehouseProps) {
    super(scope, id);
    const { config, environment, accountId } = props;
    const env = config.environments.find((e) => e.name === environment);
    if (!env) {
      throw new Error(`environment "${environment}" is not in the config; allowed: ${config.environments.map((e) => e.name).join(", ")}`);
    }
    const prefix = resourcePrefix(config, environment);
    const database = databaseName(config, environment);

    this.storage = new LakeStorage(this, "storage", {
      bucketName: `${prefix}-lake-${accountId}`,
      kmsKeyArn: config.storage.kmsKeyArn,
      quarantineExpirationDays: config.storage.quarantineExpirationDays,
      athenaResultsExpirationDays: config.storage.athenaResultsExpirationDays,
      abortIncompleteUploadDays: config.storage.abortIncompleteUploadDays,
    });

    // The jobs run the scripts rendered from the same config the catalog tables come from.
    this.etl = new GlueJobs(this, "etl", {
      storage: this.storage,
      datasets: config.datasets,
      glue: config.glue,
      scripts: { ...renderGlueScripts(config) },
      namePrefix: prefix,
      accountId,
      region: config.region,
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
      workgroupName: `${prefix}-analytics`,
      databaseName: this.catalog.databaseName,
      queries: props.queries ?? loadSqlQueries(),
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
    });

    // Scoped by budget.scope: this environment's tagged costs (the default) or the whole account.
    this.budget = new CostBudget(this, "budget", environmentBudgetProps(config, environment));

    // Ingestion: the generator Lambda feeds the first dataset with an incremental feed (orders).
    const feed = incrementalDatasets(config)[0];
    if (feed?.incremental) {
      this.ingestion = new OrderIngestion(this, "ingestion", {
        storage: this.storage,
        functionName: `${prefix}-order-generator`,
        rawPrefix: `${ZONES.raw}${feed.incremental.rawFolder}/`,
        schedule: config.ingestion.schedule,
        scheduleEnabled: config.ingestion.enabled,
        ordersPerInvocation: config.ingestion.ordersPerInvocation,
        dirtyRate: config.ingestion.dirtyRate,
        reservedConcurrentExecutions: config.ingestion.reservedConcurrency,
      });
    }
  }
}
