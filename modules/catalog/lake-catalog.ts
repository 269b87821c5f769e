import { Construct } from "constructs";
import { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
import { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import { GlueCrawler } from "@cdktf/provider-aws/lib/glue-crawler";
import type { DatasetConfig } from "../config/schema";
import { RESOURCE_NAMES, ZONES } from "../config/naming";
import type { IGrantable } from "../iam/grantable";
import { ServiceRole } from "../iam/service-role";
import { sidPart, type PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import { partitionProjection, tableColumns } from "./table-schema";

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
   * Also deploy a crawler over `curated/`. @default false - the curated tables
   * are declared as code from the config and use partition projection, so a
   * crawler would only fight the declared schema and add partitions Athena ignores.
   */
  readonly curatedCrawler?: boolean;
  /** Years partition projection enumerates. @default - each dataset's `partitioning.years` */
  readonly projectionYearRange?: [number, number];
}

/**
 * The Glue Data Catalog side of the lake: one database, the curated tables
 * declared from the dataset config (Parquet, partition projection where the
 * dataset is partitioned), and a crawler that catalogs the raw drops as
 * `raw_<dataset>` tables for exploration.
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

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const { storage, datasets } = props;

    this.database = new GlueCatalogDatabase(this, "database", {
      name: props.databaseName,
      description: "Lakehouse curated tables (declared as code) and raw tables (crawled)",
    });
    this.databaseName = this.database.name;

    for (const dataset of datasets) {
      const location = `s3://${storage.bucketName}/${ZONES.curated}${dataset.table}/`;
      const { columns, partitionKeys } = tableColumns(dataset);
      const table = new GlueCatalogTable(this, `table-${dataset.table}`, {
        name: dataset.table,
        databaseName: this.databaseName,
        description: dataset.description,
        tableType: "EXTERNAL_TABLE",
        parameters: {
          EXTERNAL: "TRUE",
          classification: "parquet",
          "parquet.compression": "SNAPPY",
          ...partitionProjection(dataset, location, props.projectionYearRange ?? [dataset.partitioning?.years.from ?? 0, dataset.partitioning?.years.to ?? 0]),
        },
        partitionKeys: partitionKeys.length > 0 ? partitionKeys : undefined,
        storageDescriptor: {
          location,
          inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
          outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
          serDeInfo: {
            name: "parquet",
            serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            parameters: { "serialization.format": "1" },
          },
          columns,
        },
      });
      this.tables[dataset.name] = new CuratedTable(table, {
        storage,
        databaseName: this.databaseName,
        tableName: dataset.table,
        prefix: `${ZONES.curated}${dataset.table}/`,
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

    if (props.curatedCrawler ?? false) {
      this.curatedCrawler = this.crawler("curated", props, {
        tablePrefix: "crawled_",
        prefixes: datasets.map((d) => `${ZONES.curated}${d.table}/`),
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
    role.addToPolicy(...crawlerCatalogStatements(props, options.tablePrefix), ...crawlerLogStatements(props));
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

interface CuratedTableProps {
  readonly storage: LakeBucket;
  readonly databaseName: string;
  readonly tableName: string;
  /** The table's folder, `curated/<table>/`. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * One curated table: the catalog entry and its data, granted together. Not a
 * construct of its own, so the table's resource address stays what it was.
 */
export class CuratedTable {
  readonly table: GlueCatalogTable;
  readonly tableName: string;
  /** `arn:aws:glue:<region>:<account>:table/<database>/<table>`. */
  readonly tableArn: string;

  constructor(
    table: GlueCatalogTable,
    private readonly props: CuratedTableProps,
  ) {
    this.table = table;
    this.tableName = table.name;
    this.tableArn = glueArn(props, `table/${props.databaseName}/${props.tableName}`);
  }

  /**
   * Lets the grantee query the table (Athena, Spark, a Glue job): the catalog
   * entry and its partitions, the table's folder in the lake, and `kms:Decrypt`
   * when the lake uses SSE-KMS. Nothing else in the database or the bucket.
   * @param sid stem of the statement ids. @default - `ReadTable` + the table name, e.g. `ReadTableOrders`
   */
  grantRead(grantee: IGrantable, sid = `ReadTable${sidPart(this.props.tableName)}`): void {
    grantee.addToPolicy({
      Sid: `${sid}Catalog`,
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
      Resource: [glueArn(this.props, "catalog"), glueArn(this.props, `database/${this.props.databaseName}`), this.tableArn],
    });
    this.props.storage.grantRead(grantee, [this.props.prefix], sid);
  }
}

function glueArn(where: { region: string; accountId: string }, resource: string): string {
  return `arn:aws:glue:${where.region}:${where.accountId}:${resource}`;
}

function crawlerCatalogStatements(props: LakeCatalogProps, tablePrefix: string): PolicyStatement[] {
  const arn = (resource: string) => glueArn(props, resource);
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

function crawlerLogStatements(props: LakeCatalogProps): PolicyStatement[] {
  // With a security configuration Glue logs to "/aws-glue/crawlers-role/<role>-<config>", hence the trailing *.
  const logs = `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws-glue/crawlers*`;
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
