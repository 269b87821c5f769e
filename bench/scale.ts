/**
 * bench/scale: `npm run synth` (both environments) of the default lakehouse
 * grown to 3, 50 and 200 datasets (examples/scale/scale-config.ts), with SSE-KMS
 * on, alternating sizes in one run; for each size the median synth time, its
 * ratio to the 3-dataset synth measured in the same run, and the largest policy
 * of each kind as IAM counts it (scripts/synth/role-quotas.ts). Not a test.
 *
 *   npx tsx bench/scale.ts [--runs 5] [--sizes 3,50,200]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { IAM_QUOTAS } from "../modules/iam/deployed-size";
import { rolePolicySizes } from "../scripts/synth/role-quotas";

const repo = join(__dirname, "..");
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(option("runs")) || 5;
const sizes = (option("sizes") ?? "3,50,200").split(",").map(Number);
const scratch = mkdtempSync(join(tmpdir(), "bench-scale-"));

/** A config file of `count` datasets, KMS on and the budget lifted (the bench measures synth, not the guardrail). */
function configFile(count: number): string {
  const file = join(scratch, `scale-${count}.ts`);
  writeFileSync(
    file,
    [
      `import { scaleConfig } from ${JSON.stringify(join(repo, "examples", "scale", "scale-config"))};`,
      `const config = scaleConfig(${count});`,
      `export default { ...config, storage: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, budget: { ...config.budget, allowOverBudget: true } };`,
    ].join("\n"),
  );
  return file;
}

function synthOnce(count: number): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["scripts/synth/fast-synth.js", "--quiet", "-c", configFile(count), "--out", join(scratch, `out-${count}`)], {
    cwd: repo,
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`synth of ${count} datasets failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

synthOnce(sizes[0]); // builds the bundle cache once, outside the timings
const timings = new Map<number, number[]>(sizes.map((n) => [n, []]));
for (let run = 0; run < runs; run++) {
  for (const n of sizes) timings.get(n)!.push(synthOnce(n));
  process.stderr.write(`run ${run + 1}/${runs} done\n`);
}

const baseline = median(timings.get(sizes[0])!);
console.log(`synth of both environments, median of ${runs} alternating runs; policies of the dev stack as IAM counts them (quotas: inline ${IAM_QUOTAS.inlinePoliciesPerRole}, managed ${IAM_QUOTAS.managedPolicy} x ${IAM_QUOTAS.managedPoliciesPerRole}, trust ${IAM_QUOTAS.trustPolicy})`);
console.log("datasets  synth    ratio  jobs  roles  largest inline  largest managed  most managed/role  largest trust");
for (const n of sizes) {
  const stack = JSON.parse(readFileSync(join(scratch, `out-${n}`, "stacks", "lakehouse-dev", "cdk.tf.json"), "utf8"));
  const roles = rolePolicySizes(stack);
  const jobs = Object.keys(stack.resource.aws_glue_job ?? {}).length;
  const max = (values: number[]) => (values.length ? Math.max(...values) : 0);
  const t = median(timings.get(n)!);
  console.log(
    [
      String(n).padStart(8),
      `${t.toFixed(2)} s`.padStart(7),
      `${(t / baseline).toFixed(2)}x`.padStart(7),
      String(jobs).padStart(5),
      String(roles.length).padStart(6),
      String(max(roles.map((r) => r.inline))).padStart(15),
      String(max(roles.flatMap((r) => r.managed))).padStart(16),
      String(max(roles.map((r) => r.managed.length))).padStart(18),
      String(max(roles.map((r) => r.trustPolicy))).padStart(14),
    ].join(" "),
  );
}
rmSync(scratch, { recursive: true, force: true });
