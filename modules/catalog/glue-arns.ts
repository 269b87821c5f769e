/** Where a Glue Data Catalog lives: one account's catalog in one region. */
export interface GlueCatalogScope {
  readonly accountId: string;
  readonly region: string;
}

/** `arn:aws:glue:<region>:<account>:<resource>`, e.g. `catalog`, `database/<db>`, `table/<db>/<table>`. */
export function glueArn(scope: GlueCatalogScope, resource: string): string {
  return `arn:aws:glue:${scope.region}:${scope.accountId}:${resource}`;
}

/**
 * What a table-level catalog action is authorized against: Glue checks the
 * catalog, the database and the table, so a statement names all three.
 */
export function glueTableArns(scope: GlueCatalogScope, databaseName: string, tableNames: readonly string[]): string[] {
  return [glueArn(scope, "catalog"), glueArn(scope, `database/${databaseName}`), ...tableNames.map((t) => glueArn(scope, `table/${databaseName}/${t}`))];
}
