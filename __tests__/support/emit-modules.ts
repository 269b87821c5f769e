import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OwnedOutputFolder } from "../../scripts/lib/owned-output";
import { emitModules, moduleContext, type EmittedModule } from "../../scripts/modules/emit";
import { MODULE_DEFINITIONS } from "../../scripts/modules/registry";
import { testConfig } from "./synth";

/** Every registered module emitted from the default config into a scratch folder. */
export async function emitAll(): Promise<{ dir: string; modules: EmittedModule[]; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "lakehouse-modules-"));
  const output = OwnedOutputFolder.open(dir, { command: "lakehouse modules", what: "modules", projectRoot: join(__dirname, "..", "..") });
  const modules = await emitModules(MODULE_DEFINITIONS, { output, context: moduleContext(testConfig()) });
  return { dir, modules, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
