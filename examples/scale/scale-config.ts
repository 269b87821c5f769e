/**
 * A real estate's shape: the default lakehouse plus dimension tables shaped like
 * `products` (each its own name, table and raw folder), up to any count. The
 * scale bench (`bench/scale.ts`) and the scale tests synthesize it at 3, 25, 50
 * and 200 datasets.
 */
import type { LakehouseConfigInput } from "../../modules/config";
import config from "../../lakehouse.config";

/** The default config with `count - 3` extra dimension tables `dim_catalog_001`, ... (count >= 3). */
export function scaleConfig(count: number, base: LakehouseConfigInput = config): LakehouseConfigInput {
  if (!Number.isInteger(count) || count < base.datasets.length) {
    throw new Error(`scaleConfig: count must be a whole number of at least ${base.datasets.length}, got ${count}`);
  }
  const products = base.datasets.find((d) => d.name === "products");
  if (!products) throw new Error("scaleConfig: the base config has no products dataset to copy");
  const extra = Array.from({ length: count - base.datasets.length }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return { ...products, name: `catalog_${n}`, table: `dim_catalog_${n}`, description: `Catalogue ${n}, shaped like products` };
  });
  return { ...base, datasets: [...base.datasets, ...extra] };
}
