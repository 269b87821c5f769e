import { resolve } from "node:path";
import { resolveConfig, type LakehouseConfig } from "../../modules/config";

/** Default config file, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = "lakehouse.config.ts";

/**
 * Loads and validates a config file (TypeScript or JSON; a TS file
 * default-exports the config). Invalid configs throw a ConfigError that names
 * each bad field.
 */
export function loadConfigFile(file: string = DEFAULT_CONFIG_FILE): LakehouseConfig {
  return resolveConfig(loadConfigRaw(file));
}

/** Loads a config file as written, before validation and defaults. */
export function loadConfigRaw(file: string = DEFAULT_CONFIG_FILE): unknown {
  const path = resolve(file);
  let loaded: unknown;
  try {
    if (/\.[cm]?ts$/.test(path)) registerTypeScript();
    const mod = require(path);
    loaded = mod && typeof mod === "object" && "default" in mod ? mod.default : mod;
  } catch (error) {
    throw new Error(`could not load config file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return loaded;
}

/** Lets `require` load a TypeScript config even where tsx is not already the loader (the bundled synth). */
function registerTypeScript(): void {
  const alreadyRegistered = Boolean(require.extensions[".ts"]);
  if (!alreadyRegistered) require("tsx/cjs/api").register();
}
