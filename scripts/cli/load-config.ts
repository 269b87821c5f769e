import { Option, type Command } from "commander";
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import repositoryConfig from "../../lakehouse.config";
import { resolveConfig, type LakehouseConfig } from "../../modules/config";
import { osReason } from "../lib/os-error";

/** Name of the config file beside package.json. */
export const DEFAULT_CONFIG_FILE = "lakehouse.config.ts";

/** The repository this CLI belongs to (the folder of package.json), found from this file's location, not the working directory. */
export const REPOSITORY_ROOT = join(__dirname, "..", "..");

/** The repository's own config: what every command reads when `-c/--config` is not given, whatever the working directory. */
export const DEFAULT_CONFIG_PATH = join(REPOSITORY_ROOT, DEFAULT_CONFIG_FILE);

/**
 * The one rule for `-c/--config`, used by every command (and `npm run synth`):
 * a given path is relative to the working directory; without one, the
 * repository's own {@link DEFAULT_CONFIG_PATH}.
 */
export function resolveConfigPath(file?: string, cwd: string = process.cwd()): string {
  return file === undefined ? DEFAULT_CONFIG_PATH : resolve(cwd, file);
}

/** The `-c, --config <file>` option every command that reads the config declares. */
export function configOption(): Option {
  return new Option(
    "-c, --config <file>",
    "config file (.ts default-exporting the config, or .json), relative to the working directory",
  ).default(DEFAULT_CONFIG_PATH, `${DEFAULT_CONFIG_FILE} beside the CLI's package.json`);
}

/**
 * Loads and validates a config file (TypeScript or JSON; a TS file
 * default-exports the config), found by {@link resolveConfigPath}. Invalid
 * configs throw a ConfigError that names each bad field.
 */
export function loadConfigFile(file?: string): LakehouseConfig {
  return resolveConfig(loadConfigRaw(file));
}

/** Loads a config file as written, before validation and defaults; `file` as in {@link resolveConfigPath}. */
export function loadConfigRaw(file?: string): unknown {
  const path = resolveConfigPath(file);
  const shown = file ?? path;
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new Error(`cannot read config file ${shown}: ${osReason(error)}`, { cause: error });
  }
  if (!stats.isFile()) throw new Error(`cannot read config file ${shown}: it is not a file`);
  // The repository's config is compiled into the CLI and the synth bundle: the same file, without loading it again.
  if (path === DEFAULT_CONFIG_PATH) return repositoryConfig;
  const value = /\.json$/i.test(path) ? parseJsonConfig(path, shown) : loadModuleConfig(path, shown);
  const problem = notAConfigObject(value);
  if (problem) throw new Error(`cannot use config file ${shown}: ${problem}; it must hold the config object (see lakehouse.config.ts)`);
  return value;
}

/** Why a loaded value cannot be a config, before the schema says which fields are wrong. */
function notAConfigObject(value: unknown): string | undefined {
  if (value === undefined) return "its value is undefined (a .ts config default-exports the config)";
  if (value === null) return "its value is null";
  if (typeof value !== "object" || Array.isArray(value)) return `its value is ${Array.isArray(value) ? "an array" : `a ${typeof value}`}, not an object`;
  if (Object.keys(value).length === 0) return "its value is an empty object";
  return undefined;
}

/** A JSON config, parsed here so that a syntax error names the file, line and column instead of a position. */
function parseJsonConfig(path: string, shown: string): unknown {
  const text = readFileSync(path, "utf8");
  if (text.trim() === "") throw new Error(`cannot use config file ${shown}: it is empty; it must hold the config object (see lakehouse.config.ts)`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : "";
    const why = message.replace(/ in JSON at position \d+.*$/s, "").replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new Error(`cannot parse config file ${shown}${where}: ${why}`, { cause: error });
  }
}

/** `line 3, column 8` of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** A .ts or .js config: its default export (or, for CommonJS, what it exports). */
function loadModuleConfig(path: string, shown: string): unknown {
  let mod: unknown;
  try {
    if (/\.[cm]?ts$/.test(path)) registerTypeScript();
    mod = require(path);
  } catch (error) {
    throw new Error(`could not load config file ${shown}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (mod && typeof mod === "object" && "default" in mod) return mod.default;
  // An ES module without a default export compiles to an object of its named exports (or an empty one).
  if (mod && typeof mod === "object" && "__esModule" in mod) return undefined;
  return mod;
}

/**
 * Rejects an `--env` the config does not declare the way commander rejects a
 * bad option value (a usage error): only the config knows the choices, so this
 * runs in the action, after the config is loaded, rather than while parsing.
 */
export function checkEnvironmentOption(command: Command, config: LakehouseConfig, env: string | undefined, attribute = "env"): void {
  const names = config.environments.map((e) => e.name);
  if (env === undefined || names.includes(env)) return;
  const flags = command.options.find((o) => o.attributeName() === attribute)?.flags ?? `--${attribute} <name>`;
  command.error(`error: option '${flags}' argument '${env}' is invalid. Allowed choices are ${names.join(", ")} (the config's environments).`, {
    code: "commander.invalidArgument",
  });
}

/** Lets `require` load a TypeScript config even where tsx is not already the loader (the bundled synth). */
function registerTypeScript(): void {
  const alreadyRegistered = Boolean(require.extensions[".ts"]);
  if (!alreadyRegistered) require("tsx/cjs/api").register();
}
