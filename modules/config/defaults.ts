import { resolveConfig } from "./load";
import type { LakehouseConfig } from "./schema";

/**
 * The schema's defaults: a minimal config (a project and one dataset, nothing
 * else) resolved, so every setting holds the value `lakehouseConfigSchema`
 * fills in. Help texts read their defaults from here instead of retyping them.
 */
export function schemaDefaults(): LakehouseConfig {
  return resolveConfig({
    project: { name: "defaults", prefix: "defaults" },
    datasets: [{ name: "d", table: "d", columns: [{ name: "id", type: "string" }], primaryKey: ["id"] }],
  });
}
