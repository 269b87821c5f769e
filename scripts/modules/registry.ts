import type { TerraformModuleDefinition } from "../../modules/terraform-module";
import { storageModule } from "../../modules/storage/terraform-module";
import { catalogModule } from "../../modules/catalog/terraform-module";
import { analyticsModule } from "../../modules/analytics/terraform-module";
import { budgetModule } from "../../modules/budget/terraform-module";
import { etlModule } from "../../modules/etl/terraform-module";
import { lakehouseModule } from "../../modules/lakehouse-terraform-module";

/**
 * The modules `npm run modules` emits, one folder each under `dist/modules/`.
 * A new area adds its `terraform-module.ts` definition here.
 */
export const MODULE_DEFINITIONS: readonly TerraformModuleDefinition[] = [
  storageModule,
  catalogModule,
  analyticsModule,
  budgetModule,
  etlModule,
  lakehouseModule,
];

/** The modules' names, in emit order: what `lakehouse modules [names...]` accepts. */
export const MODULE_NAMES: readonly string[] = MODULE_DEFINITIONS.map((d) => d.name);

/** Definitions by name, failing with the allowed names on an unknown one. */
export function selectDefinitions(names?: readonly string[]): TerraformModuleDefinition[] {
  if (!names || names.length === 0) return [...MODULE_DEFINITIONS];
  return names.map((name) => {
    const found = MODULE_DEFINITIONS.find((d) => d.name === name);
    if (!found) throw new Error(`no module named "${name}"; allowed: ${MODULE_DEFINITIONS.map((d) => d.name).join(", ")}`);
    return found;
  });
}
