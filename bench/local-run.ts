/**
 * Benchmark: `lakehouse local run` with every job in one Python process and
 * SparkSession (the default) vs a process per job (a JVM start each, as Glue
 * runs them), on the default sample, alternating, in the same run.
 *
 *   npx tsx bench/local-run.ts [--repeat 2] [--orders 5000] [--ticks 3]
 *
 * Prints the wall time of each run, the medians and their ratio. A benchmark,
 * not a test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_CONFIG_PATH, loadConfigFile } from "../scripts/cli/load-config";
import { runLocalPipeline } from "../scripts/local/pipeline";
import { silentProgress } from "../scripts/local/progress";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(argv: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const repeat = option("repeat", 2);
  const config = loadConfigFile(DEFAULT_CONFIG_PATH);
  const times: Record<"shared" | "perJob", number[]> = { shared: [], perJob: [] };
  for (let i = 0; i < repeat; i++) {
    for (const mode of ["perJob", "shared"] as const) {
      const lakeDir = mkdtempSync(join(tmpdir(), "lakehouse-bench-run-"));
      const started = performance.now();
      await runLocalPipeline({ config, lakeDir, orders: option("orders", 5000), ticks: option("ticks", 3), sharedSession: mode === "shared", progress: silentProgress });
      const seconds = (performance.now() - started) / 1000;
      times[mode].push(seconds);
      process.stdout.write(`${mode === "shared" ? "one session    " : "a JVM per job  "} run ${i + 1}: ${seconds.toFixed(1)} s\n`);
      rmSync(lakeDir, { recursive: true, force: true });
    }
  }
  const shared = median(times.shared);
  const perJob = median(times.perJob);
  process.stdout.write(`median: one session ${shared.toFixed(1)} s, a JVM per job ${perJob.toFixed(1)} s: ${(shared / perJob).toFixed(2)}x\n`);
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
