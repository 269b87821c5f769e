import type { TerraformModuleDefinition } from "../terraform-module";
import { callerAccountAndRegion, databaseNameInput, existingLakeInputs, moduleInput, moduleOutput, namePrefixValidation } from "../terraform-module";
import { LakeCatalog } from "./lake-catalog";

/**
 * `dist/modules/catalog`: the Glue database, the curated tables and the raw
 * crawler. The tables (columns, types, partition projection) come from the
 * config's datasets when the module is emitted: they are the module's
 * structure, not inputs.
 */
export const catalogModule: TerraformModuleDefinition = {
  name: "catalog",
  description:
    "The Glue Data Catalog side of the lake: one database, the curated tables declared from the dataset config " +
    "(Parquet, partition projection where partitioned) and a crawler, with a least-privilege role, that catalogs " +
    "the raw drops as `raw_<folder>` tables.",
  usage: {
    bucket_name: "module.storage.bucket_name",
    database_name: '"shoplake_dev_lake"',
    name_prefix: '"shoplake-dev"',
    security_configuration_name: "module.etl.security_configuration_name",
  },
  build(stack, context) {
    const storage = existingLakeInputs(stack, context);
    const database = databaseNameInput(stack, "Glue database to create (lower case letters, digits and underscores)");
    const prefix = moduleInput(stack, "name_prefix", {
      type: "string",
      description: "Stem of the crawler and role names, e.g. `shoplake-dev`",
      validation: namePrefixValidation("name_prefix"),
    });
    const securityConfiguration = moduleInput(stack, "security_configuration_name", {
      type: "string",
      description: "Glue security configuration the crawler runs with, e.g. the etl module's `security_configuration_name`",
    });
    const { accountId, region } = callerAccountAndRegion(stack);
    const catalog = new LakeCatalog(stack, "catalog", {
      storage,
      databaseName: database.stringValue,
      datasets: context.config.datasets,
      namePrefix: prefix.stringValue,
      accountId,
      region,
      securityConfigurationName: securityConfiguration.stringValue,
    });

    moduleOutput(stack, "database_name", catalog.databaseName, "Name of the Glue database");
    moduleOutput(stack, "raw_crawler_name", catalog.rawCrawlerName, "Crawler that catalogs the raw drops");
    moduleOutput(
      stack,
      "table_names",
      Object.fromEntries(Object.entries(catalog.tables).map(([dataset, table]) => [dataset, table.tableName])),
      "Curated table name by dataset",
    );
  },
};
