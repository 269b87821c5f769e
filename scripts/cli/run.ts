import { CommanderError, type Command } from "commander";
import { describeSystemCallError } from "../lib/os-error";

/** What `lakehouse` exits with; the top-level `--help` lists them ({@link EXIT_CODES_HELP}). */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The command failed (its message says what and why), or `cost` estimated a month over budget. */
  failure: 1,
  /** Commander rejected the command line: unknown command or option, missing or bad argument or option value. */
  usage: 2,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}  success
  ${EXIT.failure}  failure, with "lakehouse: <what failed>: <why>" on stderr; also \`cost\` when an
     estimate exceeds its budget (unless budget.allowOverBudget is true)
  ${EXIT.usage}  usage error, with commander's message naming the option or argument: unknown
     command or option, missing argument, bad option value`;

/**
 * Makes commander report usage errors by throwing instead of exiting 1, so
 * that {@link runProgram} exits 2 for them; and documents the exit codes in
 * every help. Call it before registering commands: subcommands copy the
 * setting when they are created.
 */
export function withExitCodes(program: Command): Command {
  return program.exitOverride().addHelpText("afterAll", EXIT_CODES_HELP);
}

/** The environment variable that, set to 1, makes every failure print its stack trace (as `--debug` does). */
export const DEBUG_VARIABLE = "LAKEHOUSE_DEBUG";

/**
 * What a person reads of a failure: its message without what cdktf wraps
 * around an error thrown while it resolves a value (a `Resolution error: `
 * prefix, an `Object creation stack` of JavaScript frames). A config error
 * keeps its one line per bad field.
 */
export function failureMessage(error: unknown): string {
  const message = describeSystemCallError(error) ?? (error instanceof Error ? error.message : String(error));
  return message
    .replace(/^Resolution error: /, "")
    .replace(/\n*Object creation stack:[\s\S]*$/, "")
    .replace(/\.$/, "");
}

/**
 * Parses and runs `argv`, setting `process.exitCode` by {@link EXIT}; a failure
 * prints `<program>: <message>` ({@link failureMessage}), and its stack trace
 * only with `--debug` or `LAKEHOUSE_DEBUG=1`.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  if (!program.options.some((o) => o.long === "--debug")) {
    program.option("--debug", `on a failure, print its stack trace too (or set ${DEBUG_VARIABLE}=1)`);
  }
  const debug = argv.includes("--debug") || process.env[DEBUG_VARIABLE] === "1";
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its message (or the help) already; help and --version exit 0.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    console.error(`${program.name()}: ${failureMessage(error)}`);
    if (debug) console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = EXIT.failure;
  }
}
