import type { Command } from "commander";
import { performance } from "node:perf_hooks";
import { buildApp } from "../../main";
import { formatSummary, summarizeSynth } from "../synth/summary";
import { DEFAULT_CONFIG_FILE, loadConfigRaw } from "./load-config";

/** `lakehouse synth`: Terraform JSON for every environment, and a summary of it. */
export function registerSynthCommands(program: Command): void {
  program
    .command("synth")
    .description("Synthesize Terraform JSON for every environment into cdktf.out/stacks/<stack>/cdk.tf.json")
    .option("-o, --out <dir>", "output folder", "cdktf.out")
    .option("-c, --config <file>", "config file (.ts default-exporting the config, or .json)", "lakehouse.config.ts")
    .option("-q, --quiet", "print no summary")
    .action((options: { out: string; config: string; quiet?: boolean }) => {
      const started = performance.now();
      // The default config is compiled into the app; only another file is loaded at run time.
      const config = options.config === DEFAULT_CONFIG_FILE ? undefined : loadConfigRaw(options.config);
      buildApp({ outdir: options.out, config }).synth();
      if (!options.quiet) {
        console.log(formatSummary(summarizeSynth(options.out)));
        console.log(`synthesized into ${options.out}/ in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      }
    });
}
