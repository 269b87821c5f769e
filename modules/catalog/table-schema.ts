import type { DatasetConfig } from "../config/schema";
import { curatedColumns, partitionColumns } from "../config/curated";
import type { PartitionTransform } from "../config/columns";

/** Range each integer partition key can take; projection enumerates it, so keep it tight. */
const PROJECTION_RANGES: Record<PartitionTransform, (yearRange: [number, number]) => string> = {
  year: ([from, to]) => `${from},${to}`,
  month: () => "1,12",
  day: () => "1,31",
  hour: () => "0,23",
};

/**
 * Athena partition projection for a partitioned dataset, derived from the same
 * partition spec the Spark writer uses. Integer types and no `digits`, because
 * Spark writes `month=1`, not `month=01`. Athena then never consults catalog
 * partitions: no crawler or MSCK REPAIR is needed for curated tables.
 */
export function partitionProjection(
  dataset: DatasetConfig,
  tableLocation: string,
  yearRange: [number, number],
): Record<string, string> {
  if (!dataset.partitioning) return {};
  const parameters: Record<string, string> = { "projection.enabled": "true" };
  for (const key of dataset.partitioning.keys) {
    parameters[`projection.${key.name}.type`] = "integer";
    parameters[`projection.${key.name}.range`] = PROJECTION_RANGES[key.transform](yearRange);
  }
  // "$${" is Terraform's escape for a literal "${": Athena, not Terraform, fills these in.
  const template = dataset.partitioning.keys.map((key) => `${key.name}=$\${${key.name}}`).join("/");
  parameters["storage.location.template"] = `${tableLocation}${template}/`;
  return parameters;
}

/** Glue column declarations of a curated table: regular columns and partition keys. */
export function tableColumns(dataset: DatasetConfig) {
  const toGlue = (c: { name: string; type: string; description?: string }) => ({
    name: c.name,
    type: c.type,
    ...(c.description ? { comment: c.description } : {}),
  });
  return {
    columns: curatedColumns(dataset).map(toGlue),
    partitionKeys: partitionColumns(dataset).map(toGlue),
  };
}
