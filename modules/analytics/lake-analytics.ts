import { Construct } from "constructs";
import { Token } from "cdktf";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { ZONES } from "../config/naming";
import type { IGrantable } from "../iam/grantable";
import { sidPart } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import type { SqlQuery } from "./sql-queries";
import { ATHENA_MIN_BYTES_SCANNED_CUTOFF, LAKE_ANALYTICS_DEFAULTS } from "./defaults";

export interface LakeAnalyticsProps {
  /** The lake that receives query results under `athena-results/`. */
  readonly storage: LakeBucket;
  /** Workgroup name. */
  readonly workgroupName: string;
  /** Database the named queries run in; the SQL uses unqualified table names. */
  readonly databaseName: string;
  /** Named queries to publish, their dataset references already rendered (`sqlQueriesFor(config)` in `scripts/build/sql-queries.ts`). @default [] */
  readonly queries?: readonly SqlQuery[];
  /** Per-query scan limit in bytes; Athena's minimum is 10485760. @default 104857600 */
  readonly bytesScannedCutoffPerQuery?: number;
  /** Let `terraform destroy` delete a workgroup that has saved queries. @default false */
  readonly forceDestroy?: boolean;
}

/**
 * An Athena workgroup that enforces its own settings (engine v3, encrypted
 * results under `athena-results/`, a per-query scan limit, CloudWatch
 * metrics) and one named query per analytics SQL file.
 */
export class LakeAnalytics extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly workgroupName: string;
  readonly workgroupArn: string;
  /** Where this workgroup's query results land: `athena-results/<workgroup>/`, a folder of its own. */
  readonly resultsPrefix: string;
  private readonly storage: LakeBucket;
  readonly namedQueries: Record<string, AthenaNamedQuery> = {};

  constructor(scope: Construct, id: string, props: LakeAnalyticsProps) {
    super(scope, id);
    const cutoff = props.bytesScannedCutoffPerQuery ?? LAKE_ANALYTICS_DEFAULTS.bytesScannedCutoffPerQuery;
    // A Terraform variable (an emitted module) is checked by its own validation block instead.
    if (!Token.isUnresolved(cutoff) && cutoff < ATHENA_MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(`bytesScannedCutoffPerQuery must be at least 10485760 (10 MB), got ${cutoff}`);
    }
    this.workgroup = new AthenaWorkgroup(this, "workgroup", {
      name: props.workgroupName,
      description: "Lakehouse analytics; settings enforced for every query",
      state: "ENABLED",
      forceDestroy: props.forceDestroy ?? false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoff,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          // A folder per workgroup, so a grant to query here reads only the results of queries run here.
          outputLocation: `s3://${props.storage.bucketName}/${ZONES.athenaResults}${props.workgroupName}/`,
          encryptionConfiguration: props.storage.kmsKeyArn
            ? { encryptionOption: "SSE_KMS", kmsKeyArn: props.storage.kmsKeyArn }
            : { encryptionOption: "SSE_S3" },
        },
      },
    });
    this.workgroupName = this.workgroup.name;
    this.workgroupArn = this.workgroup.arn;
    this.storage = props.storage;
    this.resultsPrefix = `${ZONES.athenaResults}${props.workgroupName}/`;

    for (const query of props.queries ?? []) {
      this.namedQueries[query.name] = new AthenaNamedQuery(this, `query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        workgroup: this.workgroup.id,
        query: query.sql,
      });
    }
  }

  /**
   * Lets the grantee run queries in this workgroup and read their results:
   * the Athena query actions on the workgroup only, and read and write in the
   * workgroup's own results folder (Athena writes results as the caller, and
   * checks the bucket's location first). Results of other workgroups stay out
   * of reach. What the queries may read is granted per table
   * (`catalog.tables.<name>.grantRead`).
   * @param sid stem of the statement ids. @default - `Query` + this construct's id, e.g. `QueryAnalytics`
   */
  grantQuery(grantee: IGrantable, sid = `Query${sidPart(this.node.id)}`): void {
    grantee.addToPolicy({
      Sid: sid,
      Effect: "Allow",
      Action: [
        "athena:GetWorkGroup",
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:GetNamedQuery",
        "athena:ListNamedQueries",
      ],
      Resource: [this.workgroupArn],
    });
    grantee.addToPolicy({ Sid: `${sid}ResultsBucket`, Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [this.storage.bucketArn] });
    // This workgroup's folder only: a zone-wide grant would read other workgroups' results.
    this.storage.grantRead(grantee, [this.resultsPrefix], `${sid}ReadResults`);
    this.storage.grantWrite(grantee, [this.resultsPrefix], `${sid}WriteResults`);
  }
}
