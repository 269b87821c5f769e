import type { TerraformModuleDefinition } from "../terraform-module";
import { existingLakeInputs, moduleInput, moduleOutput } from "../terraform-module";
import { LakeAnalytics } from "./lake-analytics";

/** `dist/modules/analytics`: the Athena workgroup and one named query per analytics query (the SQL is part of the module). */
export const analyticsModule: TerraformModuleDefinition = {
  name: "analytics",
  description:
    "An Athena workgroup that enforces its own settings (engine v3, encrypted results under `athena-results/`, " +
    "a per-query scan limit, CloudWatch metrics) and one named query per analytics SQL file.",
  usage: {
    bucket_name: "module.storage.bucket_name",
    database_name: "module.catalog.database_name",
    workgroup_name: '"shoplake-dev-analytics"',
  },
  build(stack, context) {
    const storage = existingLakeInputs(stack, context);
    const workgroup = moduleInput(stack, "workgroup_name", {
      type: "string",
      description: "Name of the Athena workgroup",
      validation: [
        {
          condition: '${can(regex("^[a-zA-Z0-9._-]{1,128}$", var.workgroup_name))}',
          errorMessage: "workgroup_name must be 1-128 letters, digits, dots, hyphens or underscores.",
        },
      ],
    });
    const database = moduleInput(stack, "database_name", {
      type: "string",
      description: "Glue database the named queries run in (the catalog module's `database_name` output)",
    });
    const cutoff = moduleInput(stack, "bytes_scanned_cutoff_per_query", {
      type: "number",
      description: "Per-query scan limit in bytes; Athena's minimum is 10485760 (10 MB)",
      default: context.config.athena.bytesScannedCutoffPerQuery,
      validation: [
        {
          condition: "${var.bytes_scanned_cutoff_per_query >= 10485760}",
          errorMessage: "bytes_scanned_cutoff_per_query must be at least 10485760 (10 MB), Athena's minimum.",
        },
      ],
    });
    const analytics = new LakeAnalytics(stack, "analytics", {
      storage,
      workgroupName: workgroup.stringValue,
      databaseName: database.stringValue,
      queries: context.artifacts.queries,
      bytesScannedCutoffPerQuery: cutoff.numberValue,
    });

    moduleOutput(stack, "workgroup_name", analytics.workgroupName, "Name of the Athena workgroup");
    moduleOutput(
      stack,
      "named_query_ids",
      Object.fromEntries(Object.entries(analytics.namedQueries).map(([name, query]) => [name, query.id])),
      "Athena named query id by query name",
    );
  },
};
