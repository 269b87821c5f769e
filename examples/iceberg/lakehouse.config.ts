/**
 * The default lakehouse with curated orders as an Apache Iceberg table
 * (docs/iceberg.md): `npx lakehouse local run -c examples/iceberg/lakehouse.config.ts`
 * runs it locally, `npx lakehouse synth -c ...` gives its Terraform (the Iceberg
 * table, its three table optimizers and their role). The security scan checks it.
 */
import type { LakehouseConfigInput } from "../../modules/config";
import config from "../../lakehouse.config";

const iceberg: LakehouseConfigInput = {
  ...config,
  datasets: config.datasets.map((dataset) => (dataset.name === "orders" ? { ...dataset, format: "iceberg" } : dataset)),
};

export default iceberg;
