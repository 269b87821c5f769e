import type { Command } from "commander";
import { performance } from "node:perf_hooks";
import { buildApp } from "../../main";
import { formatSummary, summarizeSynth } from "../synth/summary";
import { configOption, loadConfigRaw } from "./load-config";

/** `lakehouse synth`: Terraform JSON for every environment, and a summary of it. */
export function registerSynthCommands(program: Command): void {
  program
    .command("synth")
    .description("Synthesize Terraform JSON for every environment into cdktf.out/stacks/<stack>/cdk.tf.json")
    // The cdktf CLI (cdktf.json runs this command) says where to write through CDKTF_OUTDIR.
    .option("-o, --out <dir>", "output folder", process.env.CDKTF_OUTDIR ?? "cdktf.out")
    .addOption(configOption())
    .option("-q, --quiet", "print no summary")
    .action((options: { out: string; config: string; quiet?: boolean }) => {
      const started = performance.now();
      buildApp({ outdir: options.out, config: loadConfigRaw(options.config) }).synth();
      if (!options.quiet) {
        console.log(formatSummary(summarizeSynth(options.out)));
        console.log(`synthesized into ${options.out}/ in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      }
    });
}
