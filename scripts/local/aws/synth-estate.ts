/**
 * Synthesizes a config the way `npm run synth` does and reads one
 * environment's roles from the written `cdk.tf.json`.
 *
 *   tsx scripts/local/aws/synth-estate.ts [--config FILE] [--env NAME] [--account ID] [--out DIR]
 *
 * prints the {@link SynthesizedEstate} as JSON: the pytest suite creates these
 * roles on its moto server and runs each job under its own.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LakehouseConfig } from "../../../modules/config";
import { buildApp } from "../../../main";
import { loadConfigFile } from "../../cli/load-config";
import { readSynthesizedEstate, type StackJson, type SynthesizedEstate } from "./synthesized-roles";

/** moto's default account; any 12 digits would do. */
export const LOCAL_ACCOUNT_ID = "123456789012";

/** The synthesized `cdk.tf.json` of one environment, written by the app into `outDir` (a temporary folder by default). */
export function synthesizeStackJson(config: LakehouseConfig, environment: string, outDir?: string): StackJson {
  const dir = outDir ?? mkdtempSync(join(tmpdir(), "lakehouse-synth-"));
  try {
    buildApp({ config, outdir: dir }).synth();
    return JSON.parse(readFileSync(join(dir, "stacks", `lakehouse-${environment}`, "cdk.tf.json"), "utf8")) as StackJson;
  } finally {
    if (!outDir) rmSync(dir, { recursive: true, force: true });
  }
}

export function synthesizeEstate(config: LakehouseConfig, environment: string, accountId = LOCAL_ACCOUNT_ID): SynthesizedEstate {
  return readSynthesizedEstate(synthesizeStackJson(config, environment), { accountId });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback?: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const config = loadConfigFile(option("config"));
  const environment = option("env", config.environments[0].name)!;
  process.stdout.write(`${JSON.stringify(synthesizeEstate(config, environment, option("account", LOCAL_ACCOUNT_ID)), null, 2)}\n`);
}
