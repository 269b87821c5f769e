/**
 * A second cdktf app, composed differently from `main.ts`: a team that
 * already has a lake bucket (made in another estate, SSE-KMS) and its own
 * analyst role adds only the catalog, the Glue jobs and an Athena workgroup,
 * and lets the analyst query curated orders and nothing else. Its failures go
 * to the team's existing on-call topic, not to one made here.
 *
 *   npx tsx examples/compose/main.ts     # writes examples/compose/cdktf.out/
 *
 * It imports the library from its public API (`modules/index.ts`) and builds
 * the artifacts the constructs take (scripts, library zip, queries) with the
 * repository's build step before the stack.
 */
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import {
  ExistingLakeBucket,
  GlueJobs,
  LakeAnalytics,
  LakeCatalog,
  PipelineAlerts,
  RoleGrants,
  metricsNamespace,
  resolveConfig,
  type LakehouseArtifacts,
  type LakehouseConfig,
} from "../../modules";
import { lakehouseArtifacts } from "../../scripts/build/artifacts";
import lakehouseConfig from "../../lakehouse.config";

/** What the other estate tells this one about the shared lake. */
const SHARED_LAKE = {
  accountId: "123456789012",
  region: "eu-west-1",
  bucketName: "acme-shared-lake-123456789012",
  kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
  /** The team's on-call topic: its policy lets this account's EventBridge rules and CloudWatch alarms named acme-analytics-* publish. */
  onCallTopicArn: "arn:aws:sns:eu-west-1:123456789012:acme-on-call",
};

export class AnalyticsTeamStack extends TerraformStack {
  readonly catalog: LakeCatalog;
  readonly analytics: LakeAnalytics;
  readonly etl: GlueJobs;
  readonly alerts: PipelineAlerts;

  constructor(scope: Construct, id: string, config: LakehouseConfig, artifacts: LakehouseArtifacts) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: SHARED_LAKE.region });
    const stem = "acme-analytics";

    // Not created here: grants are scoped to its zones exactly as for a bucket this library makes.
    const lake = new ExistingLakeBucket({ bucketName: SHARED_LAKE.bucketName, kmsKeyArn: SHARED_LAKE.kmsKeyArn });

    this.etl = new GlueJobs(this, "etl", {
      storage: lake,
      datasets: config.datasets,
      scripts: artifacts.glueScripts,
      namePrefix: stem,
      accountId: SHARED_LAKE.accountId,
      region: SHARED_LAKE.region,
      // Cheaper, later starts; run on demand only.
      executionClass: "FLEX",
      incrementalSchedule: null,
      // The runs' counts, for the quality alarms below.
      metricsNamespace: metricsNamespace(stem),
    });
    this.catalog = new LakeCatalog(this, "catalog", {
      storage: lake,
      databaseName: "acme_analytics",
      datasets: config.datasets,
      namePrefix: stem,
      accountId: SHARED_LAKE.accountId,
      region: SHARED_LAKE.region,
      securityConfigurationName: this.etl.security.name,
    });
    this.analytics = new LakeAnalytics(this, "analytics", {
      storage: lake,
      workgroupName: `${stem}-adhoc`,
      databaseName: this.catalog.databaseName,
      queries: artifacts.queries.filter((q) => q.name === "daily_revenue"),
    });

    // Failed, stopped and late runs and quality slumps page the team on its existing topic.
    this.alerts = new PipelineAlerts(this, "alerts", {
      namePrefix: stem,
      environment: "analytics",
      accountId: SHARED_LAKE.accountId,
      region: SHARED_LAKE.region,
      topic: { topicArn: SHARED_LAKE.onCallTopicArn },
      jobs: this.etl.allJobs.map((job) => ({ jobName: `${stem}-${job.spec.id}` })),
      metrics: { namespace: metricsNamespace(stem), quarantinedPercent: 10 },
    });

    // The team's own role, made here the usual way; the library only adds grants to it.
    const analyst = new IamRole(this, "analyst", {
      name: `${stem}-analyst`,
      // People of the account assume it (through their SSO permission sets, say).
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SHARED_LAKE.accountId}:root` }, Action: "sts:AssumeRole" }],
      }),
    });
    const grants = new RoleGrants(this, "analyst-grants", { roleName: analyst.name, roleArn: analyst.arn, policyName: `${stem}-analyst-lake-access` });
    this.catalog.tables.orders.grantRead(grants);
    this.analytics.grantQuery(grants);
  }
}

/** The app: the repository's datasets, one stack. */
export function buildComposeApp(outdir: string): App {
  const config = resolveConfig(lakehouseConfig);
  const app = new App({ outdir });
  new AnalyticsTeamStack(app, "analytics-team", config, lakehouseArtifacts(config));
  return app;
}

if (require.main === module) {
  buildComposeApp(process.env.CDKTF_OUTDIR ?? `${__dirname}/cdktf.out`).synth();
}
