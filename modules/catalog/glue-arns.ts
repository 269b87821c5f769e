import type { IConstruct } from "constructs";
import { arn } from "../iam/aws-context";

/** Where a Glue Data Catalog lives: one account's catalog in one region. */
export interface GlueCatalogScope {
  readonly accountId: string;
  readonly region: string;
}

/**
 * `arn:<partition>:glue:<region>:<account>:<resource>`, e.g. `catalog`, `database/<db>`,
 * `table/<db>/<table>`; the partition is that of `construct`'s stack.
 */
export function glueArn(construct: IConstruct, scope: GlueCatalogScope, resource: string): string {
  return arn(construct, "glue", scope.region, scope.accountId, resource);
}

/** `arn:<partition>:logs:<region>:<account>:log-group:<name>`: a log group (or a pattern of them). */
export function logGroupArn(construct: IConstruct, scope: GlueCatalogScope, name: string): string {
  return arn(construct, "logs", scope.region, scope.accountId, `log-group:${name}`);
}

/**
 * What a table-level catalog action is authorized against: Glue checks the
 * catalog, the database and the table, so a statement names all three.
 */
export function glueTableArns(construct: IConstruct, scope: GlueCatalogScope, databaseName: string, tableNames: readonly string[]): string[] {
  const glue = (resource: string) => glueArn(construct, scope, resource);
  return [glue("catalog"), glue(`database/${databaseName}`), ...tableNames.map((t) => glue(`table/${databaseName}/${t}`))];
}
