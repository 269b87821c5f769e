/**
 * Benchmark: the incremental job's partition-selective upsert vs rebuilding
 * all of curated orders vs an Iceberg MERGE INTO, on 1M generated orders over
 * 90 days and a 1% delta.
 *
 *   npx tsx bench/incremental.ts [--orders 1000000] [--days 90] [--delta 0.01] [--repeat 3] [--config path] [--keep]
 *
 * Renders the Glue scripts from the config (default: lakehouse.config.ts),
 * then runs bench/incremental_bench.py on the local pyspark: one batch run,
 * then the same delta through the incremental job, through the same job
 * rewriting all of curated orders, and through a rebuild from all raw input,
 * and through the job rendered with orders as an Iceberg table (one MERGE INTO
 * commit), timed in the same process (the first two and the Iceberg way
 * --repeat times, alternating, on fresh copies or the same snapshot; medians).
 * Prints the times, the ratios (target <= 0.2), the upsert step's own ratio,
 * partitions rewritten vs in the table, and data files rewritten and bytes
 * written by each way.
 * A benchmark, not a test: figures from one machine are in docs/etl.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfigFile } from "../scripts/cli/load-config";
import { DEFAULT_CONFIG_PATH, writeGlueScripts } from "../scripts/render-glue";
import { localSparkEnv } from "../scripts/local/glue-runner";
import { localPython, REPO_ROOT } from "../scripts/local/python";

async function main(argv: string[]): Promise<number> {
  const options: Record<string, string> = { orders: "1000000", days: "90", delta: "0.01", repeat: "3", config: DEFAULT_CONFIG_PATH };
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (name === "keep") keep = true;
    else if (name in options && argv[i + 1] !== undefined) options[name] = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}; see the header of bench/incremental.ts`);
  }
  const work = mkdtempSync(join(tmpdir(), "lakehouse-bench-"));
  const scripts = join(work, "scripts");
  const config = loadConfigFile(resolve(options.config));
  await writeGlueScripts(config, scripts);
  // The same config with orders as an Iceberg table: the MERGE INTO way.
  const icebergScripts = join(work, "iceberg-scripts");
  await writeGlueScripts({ ...config, datasets: config.datasets.map((d) => (d.name === "orders" ? { ...d, format: "iceberg" as const } : d)) }, icebergScripts);
  const python = localPython(undefined, "the incremental bench");
  const env = localSparkEnv(python);
  delete env.PYSPARK_SUBMIT_ARGS; // the bench builds its own session (more memory, full JIT)
  const args = [
    join(REPO_ROOT, "bench", "incremental_bench.py"),
    "--scripts", scripts,
    "--iceberg-scripts", icebergScripts,
    "--work", join(work, "lakes"),
    "--orders", options.orders,
    "--days", options.days,
    "--delta", options.delta,
    "--repeat", options.repeat,
  ];
  process.stdout.write(`bench: work folder ${work}\n`);
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(python, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", fail);
    child.on("close", (exit) => done(exit ?? 1));
  });
  if (!keep) rmSync(work, { recursive: true, force: true });
  return code;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
