import { Construct, type IConstruct } from "constructs";
import { GlueCatalogTableOptimizer, type GlueCatalogTableOptimizerConfiguration } from "@cdktf/provider-aws/lib/glue-catalog-table-optimizer";
import { ServiceRole } from "../iam/service-role";
import type { PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import type { CuratedTable } from "./curated-table";
import { TABLE_MAINTENANCE_DEFAULTS } from "./defaults";
import { logGroupArn, type GlueCatalogScope } from "./glue-arns";

/** The compaction optimizer: bin-packs small data files into larger ones when they pile up. */
export interface CompactionSettings {
  /** @default true */
  readonly enabled?: boolean;
}

/** The snapshot retention optimizer: expires old snapshots (Iceberg's expire_snapshots). */
export interface SnapshotRetentionSettings {
  /** @default true */
  readonly enabled?: boolean;
  /** Days a snapshot is kept; time travel reaches back this far. @default 5 */
  readonly snapshotRetentionPeriodInDays?: number;
  /** Snapshots kept whatever their age. @default 1 */
  readonly numberOfSnapshotsToRetain?: number;
  /** Also delete the files only expired snapshots referenced; false leaves them behind as orphan files. @default true */
  readonly cleanExpiredFiles?: boolean;
  /** Hours between runs, 3..168. @default 24 */
  readonly runRateInHours?: number;
}

/** The orphan file deletion optimizer: deletes files under the table that no snapshot references (remove_orphan_files). */
export interface OrphanFileDeletionSettings {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * Days an unreferenced file is kept before it is deleted. A running job's
   * new files are unreferenced until it commits, so this must outlast the
   * longest job run. @default 3
   */
  readonly orphanFileRetentionPeriodInDays?: number;
  /** Hours between runs, 3..168. @default 24 */
  readonly runRateInHours?: number;
}

/** How the Glue Data Catalog maintains the Iceberg tables; every setting defaults to TABLE_MAINTENANCE_DEFAULTS (AWS's defaults). */
export interface IcebergTableMaintenanceSettings {
  /** @default - enabled */
  readonly compaction?: CompactionSettings;
  /** @default - enabled: 1 snapshot kept, others expire after 5 days, their files deleted, daily */
  readonly retention?: SnapshotRetentionSettings;
  /** @default - enabled: unreferenced files deleted after 3 days, daily */
  readonly orphanFileDeletion?: OrphanFileDeletionSettings;
}

export interface IcebergTableMaintenanceProps extends IcebergTableMaintenanceSettings, GlueCatalogScope {
  /** The lake the tables' folders are in. */
  readonly storage: LakeBucket;
  /** Glue database of the tables. */
  readonly databaseName: string;
  /** The Iceberg tables to maintain, by dataset name (the optimizers' construct ids). */
  readonly tables: Readonly<Record<string, CuratedTable>>;
  /** Name of the optimizers' role, unique in the account. */
  readonly roleName: string;
}

/** The three optimizers of one table. */
export interface IcebergTableOptimizers {
  readonly compaction: GlueCatalogTableOptimizer;
  readonly retention: GlueCatalogTableOptimizer;
  readonly orphanFileDeletion: GlueCatalogTableOptimizer;
}

/** The optimizer types, as the API names them. */
export const TABLE_OPTIMIZER_TYPES = ["compaction", "retention", "orphan_file_deletion"] as const;

/**
 * Glue Data Catalog table optimizers for Iceberg tables: compaction, snapshot
 * retention and orphan file deletion on each, all running as one role that
 * may touch only these tables' folders and catalog entries. AWS runs them on
 * its own schedule (compaction when small files pile up, the others every
 * `runRateInHours`) and bills them at the Glue ETL rate per DPU-hour.
 *
 * The role holds what AWS documents for table optimizers (Glue, "Table
 * optimization prerequisites"), scoped: read, write and delete under each
 * table's folder, listing only there, GetTable and UpdateTable on exactly
 * these tables, and the three optimizer log groups.
 */
export class IcebergTableMaintenance extends Construct {
  /** The role every optimizer runs as. */
  readonly role: ServiceRole;
  /** The optimizers by dataset name. */
  readonly optimizers: Readonly<Record<string, IcebergTableOptimizers>>;

  constructor(scope: Construct, id: string, props: IcebergTableMaintenanceProps) {
    super(scope, id);
    const tables = Object.entries(props.tables);
    if (tables.length === 0) throw new Error("IcebergTableMaintenance needs at least one Iceberg table");
    const settings = resolveSettings(props);
    const prefixes = tables.map(([, table]) => table.prefix);

    this.role = new ServiceRole(this, "role", {
      roleName: props.roleName,
      servicePrincipal: "glue.amazonaws.com",
      description: `Lets the Glue table optimizers compact, expire snapshots of and delete orphan files from ${prefixes.join(", ")}`,
    });
    // Compaction and retention rewrite and delete data and metadata files; orphan file deletion lists the folder and deletes.
    props.storage.grantRead(this.role, prefixes, "ReadIcebergTables");
    props.storage.grantWrite(this.role, prefixes, "WriteIcebergTables");
    props.storage.grantDelete(this.role, prefixes, "DeleteIcebergFiles");
    for (const [, table] of tables) table.grantIcebergCatalog(this.role, "optimize");
    this.role.addToPolicy(optimizerLogStatement(this.role, props));

    const optimizers: Record<string, IcebergTableOptimizers> = {};
    for (const [name, table] of tables) {
      const optimizer = (type: (typeof TABLE_OPTIMIZER_TYPES)[number], configuration: Omit<GlueCatalogTableOptimizerConfiguration, "roleArn">) =>
        new GlueCatalogTableOptimizer(this, `${name}-${type.replace(/_/g, "-")}`, {
          catalogId: props.accountId,
          databaseName: props.databaseName,
          // A reference, so the table (and its first metadata file) exists first.
          tableName: table.tableName,
          type,
          configuration: [{ roleArn: this.role.roleArn, ...configuration }],
          // CreateTableOptimizer checks what the role may do: the policy must be attached by then.
          dependsOn: [this.role.policy],
        });
      optimizers[name] = {
        compaction: optimizer("compaction", { enabled: settings.compaction.enabled }),
        retention: optimizer("retention", {
          enabled: settings.retention.enabled,
          retentionConfiguration: [
            {
              icebergConfiguration: [
                {
                  snapshotRetentionPeriodInDays: settings.retention.snapshotRetentionPeriodInDays,
                  numberOfSnapshotsToRetain: settings.retention.numberOfSnapshotsToRetain,
                  cleanExpiredFiles: settings.retention.cleanExpiredFiles,
                  // Explicit: left out, the API fills in 24, which the provider may read back as a change
                  // (hashicorp/terraform-provider-aws#44207).
                  runRateInHours: settings.retention.runRateInHours,
                },
              ],
            },
          ],
        }),
        orphanFileDeletion: optimizer("orphan_file_deletion", {
          enabled: settings.orphanFileDeletion.enabled,
          orphanFileDeletionConfiguration: [
            {
              icebergConfiguration: [
                {
                  orphanFileRetentionPeriodInDays: settings.orphanFileDeletion.orphanFileRetentionPeriodInDays,
                  // The table's own folder (the API's default too): never a folder shared with another table.
                  location: table.location,
                  runRateInHours: settings.orphanFileDeletion.runRateInHours,
                },
              ],
            },
          ],
        }),
      };
    }
    this.optimizers = optimizers;
  }
}

/** Every setting filled in from the defaults, checked against the ranges AWS accepts. */
export function resolveSettings(settings: IcebergTableMaintenanceSettings) {
  const d = TABLE_MAINTENANCE_DEFAULTS;
  const resolved = {
    compaction: { enabled: settings.compaction?.enabled ?? d.compactionEnabled },
    retention: {
      enabled: settings.retention?.enabled ?? d.retentionEnabled,
      snapshotRetentionPeriodInDays: settings.retention?.snapshotRetentionPeriodInDays ?? d.snapshotRetentionPeriodInDays,
      numberOfSnapshotsToRetain: settings.retention?.numberOfSnapshotsToRetain ?? d.numberOfSnapshotsToRetain,
      cleanExpiredFiles: settings.retention?.cleanExpiredFiles ?? d.cleanExpiredFiles,
      runRateInHours: settings.retention?.runRateInHours ?? d.retentionRunRateInHours,
    },
    orphanFileDeletion: {
      enabled: settings.orphanFileDeletion?.enabled ?? d.orphanFileDeletionEnabled,
      orphanFileRetentionPeriodInDays: settings.orphanFileDeletion?.orphanFileRetentionPeriodInDays ?? d.orphanFileRetentionPeriodInDays,
      runRateInHours: settings.orphanFileDeletion?.runRateInHours ?? d.orphanFileDeletionRunRateInHours,
    },
  };
  const check = (what: string, value: number, min: number, max = Infinity) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`table maintenance: ${what} must be a whole number ${max === Infinity ? `of at least ${min}` : `in ${min}..${max}`}, not ${value}`);
    }
  };
  check("retention.snapshotRetentionPeriodInDays", resolved.retention.snapshotRetentionPeriodInDays, 1);
  check("retention.numberOfSnapshotsToRetain", resolved.retention.numberOfSnapshotsToRetain, 1);
  check("retention.runRateInHours", resolved.retention.runRateInHours, 3, 168);
  check("orphanFileDeletion.orphanFileRetentionPeriodInDays", resolved.orphanFileDeletion.orphanFileRetentionPeriodInDays, 1);
  check("orphanFileDeletion.runRateInHours", resolved.orphanFileDeletion.runRateInHours, 3, 168);
  return resolved;
}

/**
 * The optimizers write their run logs to one log group per optimizer type
 * (Glue, "Table optimization prerequisites"); the role may write there only.
 */
function optimizerLogStatement(role: IConstruct, scope: GlueCatalogScope): PolicyStatement {
  const group = (name: string) => logGroupArn(role, scope, `/aws-glue/${name}/logs:*`);
  return {
    Sid: "WriteOptimizerLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [group("iceberg-compaction"), group("iceberg-retention"), group("iceberg-orphan-file-deletion")],
  };
}
