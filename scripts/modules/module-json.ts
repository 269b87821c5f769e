/**
 * Turns a synthesized cdktf stack into a reusable module's `main.tf.json`:
 * no provider and no backend (the caller owns both), a provider version range
 * instead of cdktf's exact pin, asset paths relative to the module, no cdktf
 * `//` metadata, keys sorted so the file diffs well. Pure: JSON in, JSON out.
 */

/** The AWS provider versions the modules accept: hashicorp/aws 6.x, what @cdktf/provider-aws 21.x binds. */
export const AWS_PROVIDER_REQUIREMENT = { source: "hashicorp/aws", version: ">= 6.0, < 7.0" } as const;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Blocks = Record<string, Record<string, Record<string, Json>>>;

export interface VariableBlock {
  type?: string;
  description?: string;
  default?: Json;
  nullable?: boolean;
  validation?: { condition: string; error_message: string }[];
}

export interface OutputBlock {
  value: Json;
  description?: string;
}

export interface ModuleJson {
  terraform: { required_providers: { aws: typeof AWS_PROVIDER_REQUIREMENT } };
  variable?: Record<string, VariableBlock>;
  output?: Record<string, OutputBlock>;
  locals?: Record<string, Json>;
  data?: Blocks;
  resource?: Blocks;
  module?: Record<string, Record<string, Json>>;
}

/** Folder, under the module, of files the resources reference (Lambda zips and the like). */
export const ASSET_DIR = "assets";

/**
 * @param stack the parsed `cdk.tf.json` of a module stack
 * @param assetDirs asset folders as cdktf writes them, relative to the stack (`assets/<id>/<hash>`)
 */
export function toModuleJson(stack: Record<string, Json>, assetDirs: ReadonlySet<string> = new Set()): ModuleJson {
  const { terraform: _terraform, provider: _provider, ...rest } = stripMetadata(stack) as Record<string, Json>;
  const rewritten = rewriteAssetPaths(rest, assetDirs) as Record<string, Json>;
  return sortKeys({ ...rewritten, terraform: { required_providers: { aws: { ...AWS_PROVIDER_REQUIREMENT } } } }) as unknown as ModuleJson;
}

/** Drops every `//` key: cdktf's construct paths and stack metadata mean nothing to a module's caller. */
export function stripMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, v]) => [key, stripMetadata(v)]));
  }
  return value;
}

/** `assets/<id>/<hash>/file.zip` -> `${path.module}/assets/<id>/<hash>/file.zip`, for the asset folders that were copied. */
function rewriteAssetPaths(value: Json, assetDirs: ReadonlySet<string>): Json {
  if (typeof value === "string") {
    const dir = value.split("/").slice(0, 3).join("/");
    return assetDirs.has(dir) ? `\${path.module}/${value}` : value;
  }
  if (Array.isArray(value)) return value.map((v) => rewriteAssetPaths(v, assetDirs));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, rewriteAssetPaths(v, assetDirs)]));
  }
  return value;
}

/** Object keys in code-point order, at every depth; list order is meaning and stays. */
export function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}
