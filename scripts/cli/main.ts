import { Command } from "commander";
import { registerCostCommands } from "./cost-commands";
import { registerDiffCommands } from "./diff-commands";
import { registerLocalCommands } from "./local-commands";
import { registerModulesCommands } from "./modules-commands";
import { registerOpsCommands } from "./ops-commands";
import { registerSynthCommands } from "./synth-commands";

/**
 * The `lakehouse` command line. Each command group lives in its own file
 * under `scripts/cli/` and registers itself here.
 */
export function buildProgram(): Command {
  const program = new Command("lakehouse")
    .description("Lakehouse as code: synthesize, run locally, operate on AWS")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: true });
  registerSynthCommands(program);
  registerCostCommands(program);
  registerOpsCommands(program);
  registerModulesCommands(program);
  registerDiffCommands(program);
  registerLocalCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    console.error(`lakehouse: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
