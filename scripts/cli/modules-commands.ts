import type { Command } from "commander";
import { configOption, loadConfigFile } from "./load-config";

/** `lakehouse modules`: the constructs as plain Terraform modules under dist/modules/<name>/. */
export function registerModulesCommands(program: Command): void {
  program
    .command("modules")
    .description("Emit reusable Terraform modules (no provider, no backend) into dist/modules/<name>/")
    .argument("[names...]", "modules to emit (default: all)")
    .option("-o, --out <dir>", "output folder", "dist/modules")
    .addOption(configOption())
    .option("-e, --environment <name>", "environment whose values become the defaults (default: the first)")
    .action(async (names: string[], options: { out: string; config: string; environment?: string }) => {
      // Loaded on use: the checks load hcl2json's WASM parser, which `lakehouse synth` must not pay for.
      const { emitModules, moduleContext } = require("../modules/emit") as typeof import("../modules/emit");
      const { selectDefinitions } = require("../modules/registry") as typeof import("../modules/registry");
      const config = loadConfigFile(options.config);
      const emitted = await emitModules(selectDefinitions(names), { outDir: options.out, context: moduleContext(config, options.environment) });
      for (const module of emitted) {
        const variables = Object.values(module.json.variable ?? {});
        const required = variables.filter((v) => v.default === undefined).length;
        const resources = Object.values(module.json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
        const outputs = Object.keys(module.json.output ?? {}).length;
        console.log(`${options.out}/${module.name}: ${resources} resources, ${variables.length} inputs (${required} required), ${outputs} outputs`);
      }
    });
}
