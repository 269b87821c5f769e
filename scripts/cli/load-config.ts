import { Option, type Command } from "commander";
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import repositoryConfig from "../../lakehouse.config";
import { resolveConfig, type LakehouseConfig } from "../../modules/config";

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
  try {
    if (/\.[cm]?ts$/.test(path)) registerTypeScript();
    const mod = require(path);
    return mod && typeof mod === "object" && "default" in mod ? mod.default : mod;
  } catch (error) {
    throw new Error(`could not load config file ${shown}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Rejects an `--env` the config does not declare the way commander rejects a
 * bad option value (a usage error): only the config knows the choices, so this
 * runs in the action, after the config is loaded, rather than while parsing.
 */
export function checkEnvironmentOption(command: Command, config: LakehouseConfig, env: string | undefined): void {
  const names = config.environments.map((e) => e.name);
  if (env === undefined || names.includes(env)) return;
  const flags = command.options.find((o) => o.attributeName() === "env")?.flags ?? "--env <name>";
  command.error(`error: option '${flags}' argument '${env}' is invalid. Allowed choices are ${names.join(", ")} (the config's environments).`, {
    code: "commander.invalidArgument",
  });
}

/** `no such file or directory (ENOENT)` from Node's `ENOENT: no such file or directory, stat '/x'`. */
function osReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^([A-Z0-9_]+): ([^,]+)/.exec(message);
  return match ? `${match[2]} (${match[1]})` : message;
}

/** Lets `require` load a TypeScript config even where tsx is not already the loader (the bundled synth). */
function registerTypeScript(): void {
  const alreadyRegistered = Boolean(require.extensions[".ts"]);
  if (!alreadyRegistered) require("tsx/cjs/api").register();
}
