/**
 * `npm run synth`: the `lakehouse synth` command alone, so the synth bundle
 * (scripts/synth/fast-synth.js) holds the app and nothing of the other
 * commands (AWS SDK, DuckDB, ...).
 */
import { Command } from "commander";
import { registerSynthCommands } from "./cli/synth-commands";

const program = new Command("synth").showHelpAfterError();
registerSynthCommands(program);
program
  .parseAsync([process.argv[0], "lakehouse", "synth", ...process.argv.slice(2)])
  .catch((error: unknown) => {
    console.error(`synth: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
