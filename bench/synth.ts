/**
 * bench/synth: full-estate synth time of `npm run synth` (a cached esbuild
 * bundle, no type-check) against `npx ts-node main.ts` (cdktf's default
 * runner, type-checking), on the same app, alternating runs in one process.
 * tsx without a bundle is shown in between. Prints medians and the ratio.
 *
 *   npx tsx bench/synth.ts [--runs 5]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const repo = join(__dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const scratch = mkdtempSync(join(tmpdir(), "bench-synth-"));
const bin = (pkg: string, file: string) => join(repo, "node_modules", pkg, file);

// The first entry is the one measured against the baseline (the last).
const candidates = {
  "npm run synth (cached esbuild bundle)": ["scripts/synth/fast-synth.js", "--quiet", "--out", join(scratch, "fast")],
  "tsx scripts/synth.ts (no type-check)": [bin("tsx", "dist/cli.mjs"), "scripts/synth.ts", "--quiet", "--out", join(scratch, "tsx")],
  "ts-node main.ts (type-checking baseline)": [bin("ts-node", "dist/bin.js"), "main.ts"],
};
// Build the bundle cache first: a source change costs one bundling (~0.5 s), not every synth.
timeOnce(candidates["npm run synth (cached esbuild bundle)"]);

function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: repo,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: join(scratch, "ts-node") },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const timings: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
for (let run = 0; run < runs; run++) {
  for (const [name, args] of Object.entries(candidates)) timings[name].push(timeOnce(args));
  process.stderr.write(`run ${run + 1}/${runs} done\n`);
}
rmSync(scratch, { recursive: true, force: true });

const medians = Object.keys(candidates).map((name) => median(timings[name]));
const [fast, baseline] = [medians[0], medians[medians.length - 1]];
for (const [name, values] of Object.entries(timings)) {
  console.log(`${name.padEnd(44)} median ${median(values).toFixed(2)} s  (runs: ${values.map((v) => v.toFixed(2)).join(", ")})`);
}
console.log(`speed-up: ${(baseline / fast).toFixed(1)}x faster than the type-checking baseline (${runs} runs each, wall clock, full estate)`);
