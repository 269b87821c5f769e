import type { GlueCatalogTable } from "@cdktf/provider-aws/lib/glue-catalog-table";
import type { TableFormat } from "../config/schema";
import type { IGrantable } from "../iam/grantable";
import { sidPart } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import { glueArn } from "./glue-arns";
import { grantIcebergCatalog, type IcebergCatalogAccess } from "./iceberg-grants";

export interface CuratedTableProps {
  readonly storage: LakeBucket;
  readonly databaseName: string;
  readonly tableName: string;
  /** The table's folder, `curated/<table>/`. */
  readonly prefix: string;
  readonly format: TableFormat;
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
  /** `parquet` (Hive-partitioned files) or `iceberg` (an Iceberg table whose state is its catalog entry). */
  readonly format: TableFormat;
  /** The table's folder in the lake, `curated/<table>/`. */
  readonly prefix: string;
  /** The same as a URI, `s3://<bucket>/curated/<table>/`: the table's location. */
  readonly location: string;

  constructor(
    table: GlueCatalogTable,
    private readonly props: CuratedTableProps,
  ) {
    this.table = table;
    this.tableName = table.name;
    this.tableArn = glueArn(table, props, `table/${props.databaseName}/${props.tableName}`);
    this.format = props.format;
    this.prefix = props.prefix;
    this.location = `s3://${props.storage.bucketName}/${props.prefix}`;
  }

  /**
   * Lets the grantee query the table (Athena, Spark, a Glue job): the catalog
   * entry and its partitions, the table's folder in the lake, and `kms:Decrypt`
   * when the lake uses SSE-KMS. Nothing else in the database or the bucket.
   * The same for both formats: an Iceberg table's metadata files are in its folder too.
   * @param sid stem of the statement ids. @default - `ReadTable` + the table name, e.g. `ReadTableOrders`
   */
  grantRead(grantee: IGrantable, sid = `ReadTable${sidPart(this.props.tableName)}`): void {
    grantee.addToPolicy({
      Sid: `${sid}Catalog`,
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"],
      Resource: [glueArn(this.table, this.props, "catalog"), glueArn(this.table, this.props, `database/${this.props.databaseName}`), this.tableArn],
    });
    this.props.storage.grantRead(grantee, [this.props.prefix], sid);
  }

  /**
   * Lets the grantee use the catalog entry of this Iceberg table as Iceberg
   * does (`read`, `commit` or `optimize`, see `ICEBERG_CATALOG_ACTIONS`). The
   * catalog side only: grant the folder with the lake bucket's grants.
   * @param sid statement id. @default - `Iceberg` + the access + the table name, e.g. `IcebergOptimizeOrders`
   */
  grantIcebergCatalog(grantee: IGrantable, access: IcebergCatalogAccess, sid = `Iceberg${sidPart(access)}${sidPart(this.props.tableName)}`): void {
    if (this.format !== "iceberg") throw new Error(`table ${this.props.tableName} is ${this.format}, not iceberg: it has no Iceberg catalog entry to grant`);
    grantIcebergCatalog(grantee, this.props, this.props.databaseName, [this.props.tableName], access, sid);
  }
}
