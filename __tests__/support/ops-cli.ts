import { Command } from "commander";
import { registerOpsCommands, type OpsCommandDeps } from "../../scripts/cli/ops-commands";

export interface CliRun {
  readonly out: string;
  readonly err: string;
  /** The error the command failed with, if any (what `lakehouse` prints and exits 1 on). */
  readonly error?: Error;
}

/**
 * Runs `lakehouse <args>` with only the ops commands registered, capturing
 * what it prints. Commander's own exits (help, bad arguments) become errors.
 */
export async function runCli(args: string[], deps: OpsCommandDeps = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command("lakehouse")
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerOpsCommands(program, deps);
  const log = jest.spyOn(console, "log").mockImplementation((...parts) => void out.push(`${parts.join(" ")}\n`));
  const error = jest.spyOn(console, "error").mockImplementation((...parts) => void err.push(`${parts.join(" ")}\n`));
  try {
    await program.parseAsync(["node", "lakehouse", ...args]);
    return { out: out.join(""), err: err.join("") };
  } catch (caught) {
    return { out: out.join(""), err: err.join(""), error: caught as Error };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
