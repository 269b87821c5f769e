import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import type { LakehouseConfig } from "./config/schema";
import { Lakehouse, type LakehouseArtifacts } from "./lakehouse";

export interface LakehouseStackProps {
  readonly config: LakehouseConfig;
  readonly environment: string;
  /** The artifacts built for `config` (see {@link LakehouseArtifacts}). */
  readonly artifacts: LakehouseArtifacts;
}

/**
 * One deployable stack per environment: the AWS provider with default tags,
 * the {@link Lakehouse} construct, and the outputs scripts need. Backends are
 * attached by the app (`main.ts`), never here, so the stack stays reusable.
 */
export class LakehouseStack extends TerraformStack {
  readonly lakehouse: Lakehouse;

  constructor(scope: Construct, id: string, props: LakehouseStackProps) {
    super(scope, id);
    const { config, environment, artifacts } = props;

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [
        { tags: { project: config.project.name, environment, "managed-by": "cdktf" } },
      ],
    });
    const identity = new DataAwsCallerIdentity(this, "current");

    this.lakehouse = new Lakehouse(this, "lakehouse", { config, environment, accountId: identity.accountId, artifacts });

    new TerraformOutput(this, "bucket_name", {
      value: this.lakehouse.storage.bucketName,
      description: "The lake bucket",
    });
    new TerraformOutput(this, "database_name", {
      value: this.lakehouse.catalog.databaseName,
      description: "Glue database of the curated and raw tables",
    });
    new TerraformOutput(this, "workgroup_name", {
      value: this.lakehouse.analytics.workgroupName,
      description: "Athena workgroup for the analytics queries",
    });
    new TerraformOutput(this, "batch_job_name", {
      value: this.lakehouse.etl.jobNames.batch,
      description: "Glue job: raw CSV -> curated Parquet (on demand)",
    });
    new TerraformOutput(this, "incremental_job_name", {
      value: this.lakehouse.etl.jobNames.incremental,
      description: "Glue job: new JSON orders -> upsert into curated orders (scheduled)",
    });
    new TerraformOutput(this, "raw_crawler_name", {
      value: this.lakehouse.catalog.rawCrawlerName,
      description: "Crawler that catalogs raw drops",
    });
    if (this.lakehouse.ingestion) {
      new TerraformOutput(this, "ingestion_function_name", {
        value: this.lakehouse.ingestion.functionName,
        description: "Lambda that writes synthetic orders to raw/ (invoke it for a manual run)",
      });
    }
    if (this.lakehouse.alerts) {
      new TerraformOutput(this, "alerts_topic_arn", {
        value: this.lakehouse.alerts.topicArn,
        description: "SNS topic every failure alert goes to (subscribe a pager or chat here)",
      });
    }
    if (this.lakehouse.dashboard) {
      new TerraformOutput(this, "dashboard_name", {
        value: this.lakehouse.dashboard.dashboardName,
        description: "CloudWatch dashboard of the pipeline's runs, rows, quarantined share, generator and Athena scans",
      });
    }
  }
}
