import { Command } from "commander";
import { registerCostCommands } from "./cost-commands";
import { registerDiffCommands } from "./diff-commands";
import { join } from "node:path";
import { REPOSITORY_ROOT } from "./load-config";
import { registerLocalCommands } from "./local-commands";
import { registerModulesCommands } from "./modules-commands";
import { registerOpsCommands } from "./ops-commands";
import { runProgram, withExitCodes } from "./run";
import { registerSynthCommands } from "./synth-commands";

/**
 * The `lakehouse` command line. Each command group lives in its own file
 * under `scripts/cli/` and registers itself here.
 */
export function buildProgram(): Command {
  const program = withExitCodes(new Command("lakehouse"))
    .description("Lakehouse as code: synthesize, run locally, operate on AWS")
    .version(packageVersion(), "-V, --version", "print the version of lakehouse and exit")
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

/** The version in the CLI's own package.json. */
function packageVersion(): string {
  return (require(join(REPOSITORY_ROOT, "package.json")) as { version: string }).version;
}

/** Runs the command line; exit codes as {@link runProgram} sets them (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
