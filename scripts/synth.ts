/**
 * `npm run synth`: the `lakehouse synth` command alone, so the synth bundle
 * (scripts/synth/fast-synth.js) holds the app and nothing of the other
 * commands (AWS SDK, DuckDB, ...).
 */
import { Command } from "commander";
import { runProgram, withExitCodes } from "./cli/run";
import { registerSynthCommands } from "./cli/synth-commands";

// The same config resolution, messages and exit codes as `lakehouse synth`.
const program = withExitCodes(new Command("lakehouse")).showHelpAfterError("(run with --help for usage)");
registerSynthCommands(program);
void runProgram(program, [process.argv[0], "lakehouse", "synth", ...process.argv.slice(2)]);
