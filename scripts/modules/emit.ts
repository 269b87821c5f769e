import { App } from "cdktf";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { LakehouseConfig } from "../../modules/config/schema";
import type { OwnedOutputFolder } from "../lib/owned-output";
import type { ModuleContext, TerraformModuleDefinition } from "../../modules/terraform-module";
import { lakehouseArtifacts } from "../build/artifacts";
import { checkModule } from "./checks";
import { ModuleStack } from "./module-stack";
import { ASSET_DIR, toModuleJson, type Json, type ModuleJson } from "./module-json";
import { moduleReadme } from "./readme";

/** Where `npm run modules` writes, relative to the repository. */
export const DEFAULT_MODULES_DIR = join("dist", "modules");

/** One emitted module: its parsed `main.tf.json` and every file, by path relative to the module folder. */
export interface EmittedModule {
  readonly name: string;
  readonly json: ModuleJson;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** The context of an emit: the config, and which environment's values become defaults. */
export function moduleContext(config: LakehouseConfig, environment?: string): ModuleContext {
  const name = environment ?? config.environments[0].name;
  if (!config.environments.some((e) => e.name === name)) {
    throw new Error(`environment "${name}" is not in the config; allowed: ${config.environments.map((e) => e.name).join(", ")}`);
  }
  return { config, environment: name, artifacts: lakehouseArtifacts(config) };
}

/**
 * Builds one definition in a fresh cdktf app, synthesizes it into a scratch
 * folder and turns the stack into a module: `main.tf.json`, `README.md` and
 * any asset files the resources reference.
 */
export function synthesizeModule(definition: TerraformModuleDefinition, context: ModuleContext): EmittedModule {
  const outdir = mkdtempSync(join(tmpdir(), `lakehouse-module-${definition.name}-`));
  try {
    // No provider in a module, so cdktf's "resources need a provider" validation does not apply.
    const app = new App({ outdir, skipValidation: true });
    definition.build(new ModuleStack(app, definition.name), context);
    app.synth();

    const stackDir = join(outdir, "stacks", definition.name);
    const assets = filesUnder(join(stackDir, ASSET_DIR), `${ASSET_DIR}/`);
    const assetDirs = new Set([...assets.keys()].map((path) => path.split("/").slice(0, 3).join("/")));
    const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, Json>;
    const json = toModuleJson(stack, assetDirs);

    const files = new Map<string, Buffer>([
      ["main.tf.json", Buffer.from(`${JSON.stringify(json, null, 2)}\n`)],
      ["README.md", Buffer.from(moduleReadme(definition, json))],
      ...assets,
    ]);
    return { name: definition.name, json, files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Replaces what an earlier emit wrote in `<output>/<name>/` with the module's
 * files; other modules' folders, and any file the emit did not write, are left
 * alone (the output folder refuses to open over those).
 */
export function writeModule(output: OwnedOutputFolder, module: EmittedModule): string {
  return output.replace(module.name, module.files);
}

/** Synthesizes, checks and writes each definition; fails, writing nothing more, at the first unsound module. */
export async function emitModules(
  definitions: readonly TerraformModuleDefinition[],
  options: { output: OwnedOutputFolder; context: ModuleContext },
): Promise<EmittedModule[]> {
  const emitted: EmittedModule[] = [];
  for (const definition of definitions) {
    const module = synthesizeModule(definition, options.context);
    const problems = await checkModule(module.json, new Set(module.files.keys()));
    if (problems.length > 0) {
      throw new Error(`module ${definition.name} is not sound:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
    writeModule(options.output, module);
    emitted.push(module);
  }
  return emitted;
}

/** Files under a folder by `/`-separated relative path (with a prefix), sorted; empty when the folder is missing. */
export function filesUnder(dir: string, prefix = ""): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!existsSync(dir)) return files;
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(prefix + relative(dir, path).split(sep).join("/"), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}
