import { Construct } from "constructs";
import { Token } from "cdktf";
import { AthenaNamedQuery } from "@cdktf/provider-aws/lib/athena-named-query";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { ZONES } from "../config/naming";
import type { LakeBucket } from "../storage/lake-bucket";
import type { SqlQuery } from "./sql-queries";

export interface LakeAnalyticsProps {
  /** The lake that receives query results under `athena-results/`. */
  readonly storage: LakeBucket;
  /** Workgroup name. */
  readonly workgroupName: string;
  /** Database the named queries run in; the SQL uses unqualified table names. */
  readonly databaseName: string;
  /** Named queries to publish, usually {@link loadSqlQueries}. @default [] */
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
  readonly namedQueries: Record<string, AthenaNamedQuery> = {};

  constructor(scope: Construct, id: string, props: LakeAnalyticsProps) {
    super(scope, id);
    const cutoff = props.bytesScannedCutoffPerQuery ?? 104_857_600;
    // A Terraform variable (an emitted module) is checked by its own validation block instead.
    if (!Token.isUnresolved(cutoff) && cutoff < 10_485_760) {
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
          outputLocation: `s3://${props.storage.bucketName}/${ZONES.athenaResults}`,
          encryptionConfiguration: props.storage.kmsKeyArn
            ? { encryptionOption: "SSE_KMS", kmsKeyArn: props.storage.kmsKeyArn }
            : { encryptionOption: "SSE_S3" },
        },
      },
    });
    this.workgroupName = this.workgroup.name;

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
}
