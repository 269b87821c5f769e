/**
 * The app: load the config, build its artifacts (scripts, zips, queries), build
 * one stack per environment, attach each stack's backend, synth. Nothing else
 * lives here.
 */
import { App } from "cdktf";
import userConfig from "./lakehouse.config";
import { resolveConfig } from "./modules/config";
import { LakehouseStack } from "./modules/lakehouse-stack";
import { attachBackend } from "./modules/backend";
import { assertWithinBudget } from "./modules/budget/cost-estimate";
import { lakehouseArtifacts } from "./scripts/build/artifacts";

/**
 * @param options.config the config as written (validated here); without the
 *   property, the repository's own. A `config` that is present is always the one
 *   used, even `undefined` or `null` (refused, naming the root).
 */
export function buildApp(options: { outdir?: string; config?: unknown } = {}): App {
  const config = resolveConfig("config" in options ? options.config : userConfig);
  assertWithinBudget(config);
  // The cdktf CLI tells the app where to write through CDKTF_OUTDIR.
  const artifacts = lakehouseArtifacts(config);
  const app = new App({ outdir: options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out" });
  for (const { name } of config.environments) {
    const stackId = `lakehouse-${name}`;
    const stack = new LakehouseStack(app, stackId, { config, environment: name, artifacts });
    attachBackend(stack, stackId, config.backend);
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
