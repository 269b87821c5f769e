import defaultConfig from "../../lakehouse.config";
import { ConfigError, resolveConfig, type LakehouseConfigInput } from "../../modules/config";

/** Applies a change to a copy of the default config and returns the validation problems (empty when valid). */
export function problemsAfter(change: (config: any) => void): string[] {
  const copy = structuredClone(defaultConfig) as LakehouseConfigInput;
  change(copy);
  try {
    resolveConfig(copy);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
