/**
 * Renders the Glue job scripts of a config into a folder.
 *
 *   tsx scripts/render-glue.ts [--config lakehouse.config.ts] --out DIR
 *
 * `--config` takes a `.ts` module (default export) or a `.json` file holding a
 * config as a user writes it (loaded by `scripts/cli/load-config.ts`); defaults
 * are applied and the config is validated before rendering. Writes `batch_job.py`,
 * `incremental_job.py` and `lakehouse_etl.zip` (the library, as Glue's
 * `--extra-py-files` gets it) into DIR and prints their paths.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { LakehouseConfig } from "../modules/config";
import { renderGlueScripts } from "../modules/etl/render";
import { glueScriptFiles } from "./build/glue-library";
import { readGlueTemplates } from "./build/glue-templates";
import { DEFAULT_CONFIG_PATH, loadConfigFile } from "./cli/load-config";

export { DEFAULT_CONFIG_PATH };

/** Writes the rendered scripts and the library zip into `outDir` (created if missing); returns the written paths. */
export async function writeGlueScripts(config: LakehouseConfig, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files = await glueScriptFiles(renderGlueScripts(config, readGlueTemplates()));
  return Object.entries(files).map(([name, data]) => {
    const target = join(outDir, name);
    writeFileSync(target, data);
    return target;
  });
}

async function main(argv: string[]): Promise<number> {
  let configPath = DEFAULT_CONFIG_PATH;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--config") configPath = value();
    else if (arg === "--out") out = value();
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write("usage: tsx scripts/render-glue.ts [--config path] --out DIR\n");
      return 0;
    } else throw new Error(`unknown argument ${arg}; usage: tsx scripts/render-glue.ts [--config path] --out DIR`);
  }
  if (!out) throw new Error("--out DIR is required; usage: tsx scripts/render-glue.ts [--config path] --out DIR");
  for (const path of await writeGlueScripts(loadConfigFile(configPath), resolve(out))) process.stdout.write(`${path}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`render-glue: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
