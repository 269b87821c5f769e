import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";
import type { LakehouseConfigInput } from "../../modules/config";
import { buildApp } from "../../main";

/**
 * Synthesizes the default config, changed by `change`, into a fresh folder the
 * way `cdktf synth` does (dev environment only, local backend) and returns the folder.
 */
export function synthTree(change?: (config: LakehouseConfigInput) => void): string {
  const config = structuredClone(defaultConfig) as LakehouseConfigInput;
  config.environments = [{ name: "dev" }];
  change?.(config);
  const outdir = mkdtempSync(join(tmpdir(), "lakehouse-diff-test-"));
  const organization = process.env.TF_CLOUD_ORGANIZATION;
  delete process.env.TF_CLOUD_ORGANIZATION;
  try {
    buildApp({ outdir, config }).synth();
  } finally {
    if (organization !== undefined) process.env.TF_CLOUD_ORGANIZATION = organization;
  }
  return outdir;
}
