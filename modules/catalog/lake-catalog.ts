import { Construct } from "constructs";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { GlueCrawler } from "@cdktf/provider-aws/lib/glue-crawler";
import type { DatasetConfig } from "../config/schema";
import { RESOURCE_NAMES, ZONES } from "../config/naming";
import { ServiceRole } from "../iam/service-role";
import type { PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import { CuratedTable } from "./curated-table";
import { glueArn, logGroupArn } from "./glue-arns";
import { icebergTableDeclaration, parquetTableDeclaration } from "./table-formats";
import { IcebergTableMaintenance, type IcebergTableMaintenanceSettings } from "./table-maintenance";

export interface LakeCatalogProps {
  /** The lake whose zones the tables and crawlers point at. */
  readonly storage: LakeBucket;
  /** Glue database name (lower case, digits, underscores). */
  readonly databaseName: string;
  /** Datasets to declare curated tables for, and whose raw folders the raw crawler reads. */
  readonly datasets: readonly DatasetConfig[];
  /** Stem for the crawler and role names, e.g. `shoplake-dev`. */
  readonly namePrefix: string;
  /** AWS account id and region, to scope the crawler's catalog permissions. */
  readonly accountId: string;
  readonly region: string;
  /** Glue security configuration for the crawlers' logs. @default - none */
  readonly securityConfigurationName?: string;
  /**
   * Also deploy a crawler over `curated/` (its Parquet tables; never an Iceberg
   * table's folder). @default false - the curated tables are declared as code
   * from the config and use partition projection, so a crawler would only fight
   * the declared schema and add partitions Athena ignores.
   */
  readonly curatedCrawler?: boolean;
  /** Years partition projection enumerates. @default - each dataset's `partitioning.years` */
  readonly projectionYearRange?: [number, number];
  /**
   * How the Glue table optimizers maintain the Iceberg tables (datasets with
   * `format: "iceberg"`). @default - compaction, snapshot retention and orphan
   * file deletion with AWS's defaults (TABLE_MAINTENANCE_DEFAULTS)
   */
  readonly tableMaintenance?: IcebergTableMaintenanceSettings;
}

/**
 * The Glue Data Catalog side of the lake: one database, the curated tables
 * declared from the dataset config (Parquet with partition projection where
 * the dataset is partitioned, or Iceberg with the Glue table optimizers), and
 * a crawler that catalogs the raw drops as `raw_<dataset>` tables for exploration.
 *
 * Order of operations on AWS: drop files in `raw/`, run the raw crawler (only
 * needed to explore raw data in Athena), then the batch job. The jobs read raw
 * files by path with the config's schema, so they never depend on the crawler.
 */
export class LakeCatalog extends Construct {
  readonly database: GlueCatalogDatabase;
  readonly databaseName: string;
  /** The crawler over `raw/`, with its role. */
  readonly rawCrawler: LakeCrawler;
  readonly rawCrawlerName: string;
  /** The optional crawler over `curated/`; undefined unless `curatedCrawler` is set. */
  readonly curatedCrawler?: LakeCrawler;
  /** The curated tables by dataset name; each can grant read access to it. */
  readonly tables: Record<string, CuratedTable> = {};
  /** The Iceberg tables' optimizers and their role; undefined when no dataset is Iceberg. */
  readonly tableMaintenance?: IcebergTableMaintenance;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const { storage, datasets } = props;

    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName,
      description: "Lakehouse curated tables (declared as code) and raw tables (crawled)",
    });
    this.databaseName = this.database.name;

    for (const dataset of datasets) {
      const prefix = `${ZONES.curated}${dataset.table}/`;
      const location = `s3://${storage.bucketName}/${prefix}`;
      const declaration =
        dataset.format === "iceberg"
          ? icebergTableDeclaration(dataset, location)
          : parquetTableDeclaration(
              dataset,
              location,
              props.projectionYearRange ?? [dataset.partitioning?.years.from ?? 0, dataset.partitioning?.years.to ?? 0],
            );
      const table = new GlueCatalogTable(this, `table-${dataset.table}`, {
        name: dataset.table,
        databaseName: this.databaseName,
        ...declaration,
      });
      this.tables[dataset.name] = new CuratedTable(table, {
        storage,
        databaseName: this.databaseName,
        tableName: dataset.table,
        prefix,
        format: dataset.format,
        accountId: props.accountId,
        region: props.region,
      });
    }

    const iceberg = Object.fromEntries(Object.entries(this.tables).filter(([, table]) => table.format === "iceberg"));
    if (Object.keys(iceberg).length > 0) {
      this.tableMaintenance = new IcebergTableMaintenance(this, "iceberg-maintenance", {
        ...props.tableMaintenance,
        storage,
        databaseName: this.databaseName,
        tables: iceberg,
        roleName: RESOURCE_NAMES.tableOptimizerRole(props.namePrefix),
        accountId: props.accountId,
        region: props.region,
      });
    }

    const rawFolders = datasets.flatMap((d) => [d.name, ...(d.incremental ? [d.incremental.rawFolder] : [])]);
    this.rawCrawler = this.crawler("raw", props, {
      tablePrefix: "raw_",
      prefixes: rawFolders.map((folder) => `${ZONES.raw}${folder}/`),
      description: "Catalogs raw CSV and JSON drops as raw_<folder> tables for exploration",
    });
    this.rawCrawlerName = this.rawCrawler.crawlerName;

    // Parquet tables only: crawled as Hive, an Iceberg folder would list every file any snapshot ever had.
    const crawlable = datasets.filter((d) => d.format !== "iceberg");
    if ((props.curatedCrawler ?? false) && crawlable.length > 0) {
      this.curatedCrawler = this.crawler("curated", props, {
        tablePrefix: "crawled_",
        prefixes: crawlable.map((d) => `${ZONES.curated}${d.table}/`),
        description: "Optional: catalogs curated Parquet under crawled_ names, beside the declared tables",
      });
    }
  }

  private crawler(
    kind: "raw" | "curated",
    props: LakeCatalogProps,
    options: { tablePrefix: string; prefixes: string[]; description: string },
  ): LakeCrawler {
    const name = RESOURCE_NAMES.crawler(props.namePrefix, kind);
    const role = new ServiceRole(this, `${kind}-crawler-role`, {
      roleName: name,
      servicePrincipal: "glue.amazonaws.com",
      description: `Lets the ${kind} crawler read ${options.prefixes.join(", ")} and write tables to ${props.databaseName}`,
    });
    props.storage.grantRead(role, options.prefixes, "ReadCrawledPrefixes");
    role.addToPolicy(...crawlerCatalogStatements(role, props, options.tablePrefix), ...crawlerLogStatements(role, props));
    const crawler = new GlueCrawler(this, `${kind}-crawler`, {
      name,
      description: options.description,
      databaseName: this.databaseName,
      role: role.roleArn,
      tablePrefix: options.tablePrefix,
      securityConfiguration: props.securityConfigurationName,
      s3Target: options.prefixes.map((prefix) => ({ path: `s3://${props.storage.bucketName}/${prefix}` })),
      schemaChangePolicy: { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "LOG" },
      configuration: JSON.stringify({
        Version: 1,
        Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" },
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
      }),
    });
    return { crawler, crawlerName: crawler.name, crawlerArn: crawler.arn, role };
  }
}

/** A Glue crawler of the lake, with the role it runs as. */
export interface LakeCrawler {
  readonly crawler: GlueCrawler;
  readonly crawlerName: string;
  readonly crawlerArn: string;
  readonly role: ServiceRole;
}

function crawlerCatalogStatements(role: ServiceRole, props: LakeCatalogProps, tablePrefix: string): PolicyStatement[] {
  const arn = (resource: string) => glueArn(role, props, resource);
  return [
    {
      Sid: "WriteCrawledTables",
      Effect: "Allow",
      Action: [
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:GetTables",
        "glue:CreateTable",
        "glue:UpdateTable",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:BatchGetPartition",
        "glue:CreatePartition",
        "glue:BatchCreatePartition",
        "glue:UpdatePartition",
        "glue:BatchUpdatePartition",
      ],
      Resource: [arn("catalog"), arn(`database/${props.databaseName}`), arn(`table/${props.databaseName}/${tablePrefix}*`)],
    },
  ];
}

function crawlerLogStatements(role: ServiceRole, props: LakeCatalogProps): PolicyStatement[] {
  // With a security configuration Glue logs to "/aws-glue/crawlers-role/<role>-<config>", hence the trailing *.
  const logs = logGroupArn(role, props, "/aws-glue/crawlers*");
  return [
    {
      Sid: "WriteCrawlerLogs",
      Effect: "Allow",
      // With SSE-KMS the security configuration has Glue associate the key with the crawler's log group.
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", ...(props.storage.kmsKeyArn ? ["logs:AssociateKmsKey"] : [])],
      Resource: [logs],
    },
  ];
}
