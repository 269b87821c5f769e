import type { IGrantable } from "../iam/grantable";
import { glueTableArns, type GlueCatalogScope } from "./glue-arns";

/**
 * The Glue Data Catalog actions an Iceberg table needs, by what the grantee
 * does with it. An Iceberg table's state is a pointer in its catalog entry
 * (the `metadata_location` parameter); Iceberg's `GlueCatalog` reads it with
 * GetTable and moves it with UpdateTable (optimistically, on the entry's
 * version id), so no other catalog call is part of a read or a commit. The
 * S3 side (the table's folder) is granted by the lake bucket.
 */
export const ICEBERG_CATALOG_ACTIONS = {
  /** Load the table. GetDatabase: Spark resolves `glue_catalog.<database>` as a namespace (read-only, one database). */
  read: ["glue:GetDatabase", "glue:GetTable"],
  /** Load it, then commit a new metadata file (a MERGE, an ALTER TABLE ... ADD PARTITION FIELD). */
  commit: ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"],
  /** What AWS documents for a table optimizer's role (Glue "Table optimization prerequisites"): GetTable and UpdateTable. */
  optimize: ["glue:GetTable", "glue:UpdateTable"],
} as const satisfies Record<string, readonly string[]>;

export type IcebergCatalogAccess = keyof typeof ICEBERG_CATALOG_ACTIONS;

/**
 * Lets the grantee use Iceberg tables' catalog entries: one statement on the
 * catalog, the database and exactly these tables. Nothing in the database is
 * created or deleted: the tables are declared by Terraform.
 */
export function grantIcebergCatalog(
  grantee: IGrantable,
  scope: GlueCatalogScope,
  databaseName: string,
  tableNames: readonly string[],
  access: IcebergCatalogAccess,
  sid: string,
): void {
  if (tableNames.length === 0) return;
  grantee.addToPolicy({
    Sid: sid,
    Effect: "Allow",
    Action: [...ICEBERG_CATALOG_ACTIONS[access]],
    Resource: glueTableArns(grantee, scope, databaseName, tableNames),
  });
}
