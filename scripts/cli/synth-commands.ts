import type { Command } from "commander";
import { performance } from "node:perf_hooks";
import { buildApp } from "../../main";
import { formatSummary, summarizeSynth } from "../synth/summary";
import { checkFolderShape } from "../lib/owned-output";
import { configOption, loadConfigRaw, REPOSITORY_ROOT } from "./load-config";

/** What a synth writes at the top of its output folder (cdktf's layout); anything else there is someone else's. */
const SYNTH_ENTRIES = new Set(["manifest.json", "stacks"]);

/** `lakehouse synth`: Terraform JSON for every environment, and a summary of it. */
export function registerSynthCommands(program: Command): void {
  program
    .command("synth")
    .description("Synthesize Terraform JSON for every environment into cdktf.out/stacks/<stack>/cdk.tf.json")
    // The cdktf CLI (cdktf.json runs this command) says where to write through CDKTF_OUTDIR.
    .option(
      "-o, --out <dir>",
      "output folder: new, empty, or an earlier synth output (manifest.json and stacks/ only); nothing in it is deleted",
      process.env.CDKTF_OUTDIR ?? "cdktf.out",
    )
    .addOption(configOption())
    .option("-q, --quiet", "print no summary")
    .action((options: { out: string; config: string; quiet?: boolean }) => {
      const started = performance.now();
      const config = loadConfigRaw(options.config);
      checkFolderShape(options.out, {
        command: "lakehouse synth",
        what: "the synthesized Terraform",
        shown: options.out,
        projectRoot: REPOSITORY_ROOT,
        isOwnEntry: (name) => SYNTH_ENTRIES.has(name),
        expected: "a synth output holds manifest.json and stacks/",
      });
      buildApp({ outdir: options.out, config }).synth();
      if (!options.quiet) {
        console.log(formatSummary(summarizeSynth(options.out)));
        console.log(`synthesized into ${options.out}/ in ${((performance.now() - started) / 1000).toFixed(2)} s`);
      }
    });
}
