import { Argument, type Command } from "commander";
import { resolve } from "node:path";
import { OwnedOutputFolder } from "../lib/owned-output";
import { MODULE_NAMES, selectDefinitions } from "../modules/registry";
import { checkEnvironmentOption, configOption, loadConfigFile, REPOSITORY_ROOT } from "./load-config";

/** `lakehouse modules`: the constructs as plain Terraform modules under dist/modules/<name>/. */
export function registerModulesCommands(program: Command): void {
  program
    .command("modules")
    .description("Emit reusable Terraform modules (no provider, no backend) into dist/modules/<name>/")
    .addArgument(new Argument("[names...]", "modules to emit (default: all)").choices(MODULE_NAMES))
    .option("-o, --out <dir>", "output folder: new, empty, or an earlier output of this command (it lists its files in .lakehouse-output.json)", "dist/modules")
    .option("--force", "also replace files of an earlier output that were edited since; files this command did not write are never touched")
    .addOption(configOption())
    .option("-e, --environment <name>", "environment whose values become the defaults (default: the first)")
    .action(async (names: string[], options: { out: string; config: string; environment?: string; force?: boolean }, command: Command) => {
      // Loaded on use: the checks load hcl2json's WASM parser, which `lakehouse synth` must not pay for.
      const { emitModules, moduleContext } = require("../modules/emit") as typeof import("../modules/emit");
      const config = loadConfigFile(options.config);
      checkEnvironmentOption(command, config, options.environment, "environment");
      const output = OwnedOutputFolder.open(resolve(options.out), {
        command: "lakehouse modules",
        what: "modules",
        shown: options.out,
        projectRoot: REPOSITORY_ROOT,
        force: options.force,
      });
      const emitted = await emitModules(selectDefinitions(names), { output, context: moduleContext(config, options.environment) });
      for (const module of emitted) {
        const variables = Object.values(module.json.variable ?? {});
        const required = variables.filter((v) => v.default === undefined).length;
        const resources = Object.values(module.json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
        const outputs = Object.keys(module.json.output ?? {}).length;
        console.log(`${options.out}/${module.name}: ${resources} resources, ${variables.length} inputs (${required} required), ${outputs} outputs`);
      }
    });
}
