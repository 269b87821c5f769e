import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";
import { buildApp } from "../../main";
import { assertWithinBudget, DEFAULT_COST_ASSUMPTIONS, estimateMonthlyCost, PRICES, runsPerMonth } from "../../modules/budget";
import { formatEstimate } from "../../scripts/cli/cost-commands";
import { onlyResource, synthStack, testConfig } from "../support/synth";

/** Where the apps these tests build would synthesize (they never do): never the checkout. */
const SCRATCH_OUT = join(tmpdir(), "lakehouse-unsynthesized");

const hourlyGlue = (c: any) => (c.glue.incrementalSchedule = "cron(0 * * * ? *)");

describe("schedules", () => {
  test.each([
    ["rate(1 hour)", 730],
    ["rate(1 day)", 30.42],
    ["cron(0 2 * * ? *)", 30.42],
    ["cron(0 * * * ? *)", 730],
    ["cron(0/15 * * * ? *)", 2920],
    ["cron(0 8 ? * MON-FRI *)", 21.73],
    ["cron(0 0 1 * ? *)", 1],
  ])("%s fires about %d times a month", (expression, expected) => {
    expect(runsPerMonth(expression)).toBeCloseTo(expected, 1);
  });
});

describe("cost estimate", () => {
  test("the default config fits its $5 budget", () => {
    const estimate = estimateMonthlyCost(testConfig(), "dev");
    expect(estimate.withinBudget).toBe(true);
    expect(estimate.totalUsd).toBeGreaterThan(0);
    expect(estimate.totalUsd).toBeLessThan(5);
  });

  test("Glue bills at least one minute per run", () => {
    const config = testConfig();
    const short = estimateMonthlyCost(config, "dev", { ...estimateMonthlyCost(config, "dev").assumptions, incrementalRunMinutes: 0.1 });
    const glue = short.lines.find((l) => l.item === "Glue incremental job")!;
    expect(glue.monthlyUsd).toBeCloseTo((30.42 * 2 * 1 * 0.44) / 60, 2);
  });

  test("flex execution costs less than standard", () => {
    const standard = estimateMonthlyCost(testConfig(), "dev").totalUsd;
    const flex = estimateMonthlyCost(testConfig((c) => (c.glue!.flex = true)), "dev").totalUsd;
    expect(flex).toBeLessThan(standard);
  });

  test("an hourly Glue schedule on standard workers cannot fit $5", () => {
    const estimate = estimateMonthlyCost(testConfig(hourlyGlue), "dev");
    expect(estimate.withinBudget).toBe(false);
    expect(estimate.totalUsd).toBeGreaterThan(30);
  });

  test("an over-budget config fails before synth with a clear message", () => {
    expect(() => assertWithinBudget(testConfig(hourlyGlue))).toThrow(
      /dev: estimated \$\d+\.\d\d\/month > budget \$5\.00; largest item: Glue incremental job/,
    );
  });

  test("allowOverBudget lets an over-budget config synthesize", () => {
    const config = structuredClone(defaultConfig) as any;
    hourlyGlue(config);
    config.budget.allowOverBudget = true;
    expect(() => buildApp({ outdir: SCRATCH_OUT, config })).not.toThrow();
  });

  test("the app refuses to build an over-budget config", () => {
    const config = structuredClone(defaultConfig) as any;
    hourlyGlue(config);
    expect(() => buildApp({ outdir: SCRATCH_OUT, config })).toThrow(/exceeds the budget/);
  });
});

const repo = join(__dirname, "..", "..");
const run = (args: string[]) => spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), "cost", ...args], { cwd: repo, encoding: "utf8" });

describe("lakehouse cost", () => {

  test("prints each environment's estimate and exits 0 within budget", () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dev: estimated \$\d+\.\d\d\/month, within the \$5\.00 budget/);
    expect(result.stdout).toMatch(/Glue incremental job/);
  });

  test("exits 1 when an estimate exceeds its budget", () => {
    const config = structuredClone(defaultConfig) as any;
    hourlyGlue(config);
    const file = join(mkdtempSync(join(tmpdir(), "cost-")), "over.json");
    writeFileSync(file, JSON.stringify(config));
    const result = run(["--config", file, "--env", "dev"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/OVER the \$5\.00 budget/);
  });
});

describe("the cost estimate counts what is stored", () => {
  const GB = 1024 ** 3;
  const s3 = (estimate: ReturnType<typeof estimateMonthlyCost>) => estimate.lines.find((l) => l.item === "S3 storage")!;

  test("S3 storage counts the batch's raw CSV and curated Parquet", () => {
    const base = estimateMonthlyCost(testConfig(), "dev");
    const assumptions = base.assumptions;
    const bigger = estimateMonthlyCost(testConfig(), "dev", { ...assumptions, batchOrders: assumptions.batchOrders + 10_000_000 });
    // Stored at bytesPerOrder each, plus the old versions its rewrites leave.
    const stored = (10_000_000 * assumptions.bytesPerOrder) / GB;
    expect(s3(bigger).monthlyUsd - s3(base).monthlyUsd).toBeGreaterThanOrEqual(stored * PRICES.s3StandardGbMonth - 1e-9);
    expect(s3(base).basis).toMatch(/batch 0\.37 GB/);
  });

  test("S3 storage counts the noncurrent versions kept after each partition rewrite", () => {
    const base = estimateMonthlyCost(testConfig(), "dev");
    const a = base.assumptions;
    const none = estimateMonthlyCost(testConfig(), "dev", { ...a, noncurrentVersionDays: 0 });
    const daysPerMonth = 730 / 24;
    const rewrittenGb =
      (a.batchRunsPerMonth * a.batchOrders * a.curatedBytesPerOrder) / GB +
      (30.42 * a.partitionsRewrittenPerIncrementalRun * ((730 * 50) / daysPerMonth) * a.curatedBytesPerOrder) / GB;
    const expected = rewrittenGb * (a.noncurrentVersionDays / daysPerMonth) * PRICES.s3StandardGbMonth;
    expect(s3(base).monthlyUsd - s3(none).monthlyUsd).toBeCloseTo(expected, 6);
    expect(s3(base).basis).toMatch(/old versions 0\.09 GB = 0\.62 GB$/);
  });

  test("the assumed noncurrent-version days are the lake's lifecycle", () => {
    const rules = onlyResource(synthStack().parsed, "aws_s3_bucket_lifecycle_configuration").rule;
    const days = rules.flatMap((r: any) => r.noncurrent_version_expiration ?? []).map((e: any) => e.noncurrent_days);
    expect(days).toEqual([DEFAULT_COST_ASSUMPTIONS.noncurrentVersionDays]);
  });

  test("the printed assumptions say S3 counts the batch volume and the noncurrent versions", () => {
    const printed = formatEstimate(estimateMonthlyCost(testConfig(), "dev"));
    expect(printed).toContain("the batch job's raw CSV and curated Parquet (1000000 orders x 400 B)");
    expect(printed).toContain("the noncurrent versions bucket versioning keeps for 7 days after each partition rewrite");
  });
});

describe("the estimate says what the budget measures", () => {
  test("by default the estimate says the budget counts only the environment's tagged costs", () => {
    const estimate = estimateMonthlyCost(testConfig(), "prod");
    expect(estimate.budgetScope).toBe("environment");
    expect(formatEstimate(estimate).split("\n")[1]).toBe(
      'budget counts only costs tagged environment=prod, as this estimate does (budget.scope "environment")',
    );
  });

  test("with budget.scope account the estimate says the budget counts the whole account", () => {
    const estimate = estimateMonthlyCost(testConfig((c) => (c.budget!.scope = "account")), "dev");
    expect(formatEstimate(estimate).split("\n")[1]).toBe(
      'budget counts the whole AWS account, other workloads included, while this estimate counts only dev (budget.scope "account")',
    );
  });

  test("lakehouse cost prints what each environment's budget counts", () => {
    const result = run(["--env", "dev"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('budget counts only costs tagged environment=dev, as this estimate does (budget.scope "environment")');
  });
});

describe("the cost estimate counts the Iceberg tables' optimizers", () => {
  const icebergOrders = () => testConfig((c) => (c.datasets.find((d) => d.name === "orders")!.format = "iceberg"));
  const optimizerLine = (estimate: ReturnType<typeof estimateMonthlyCost>) => estimate.lines.find((l) => l.item === "Glue table optimizers");

  test("a Parquet-only estimate has no optimizer line", () => {
    expect(optimizerLine(estimateMonthlyCost(testConfig(), "dev"))).toBeUndefined();
  });

  test("each optimizer run is billed at the DPU-hour rate for the assumed DPUs and minutes", () => {
    const estimate = estimateMonthlyCost(icebergOrders(), "dev");
    const a = estimate.assumptions;
    // Compaction after each batch and incremental run (orders has a feed), retention and orphan file deletion daily.
    const runs = (a.batchRunsPerMonth + runsPerMonth("cron(0 2 * * ? *)")) * a.compactionRunsPerJobRun + 2 * (730 / 24);
    expect(optimizerLine(estimate)!.monthlyUsd).toBeCloseTo((runs * a.optimizerRunDpus * a.optimizerRunMinutes * PRICES.tableOptimizerDpuHour) / 60, 6);
    expect(optimizerLine(estimate)!.basis).toMatch(/^1 Iceberg table: 95\.3 runs \(compaction 34\.4, retention 30\.4, orphan files 30\.4\) x 2 DPU x 1 min/);
  });

  test("a run is billed at least the 1-minute minimum", () => {
    const base = estimateMonthlyCost(icebergOrders(), "dev");
    const short = estimateMonthlyCost(icebergOrders(), "dev", { ...base.assumptions, optimizerRunMinutes: 0.1 });
    expect(optimizerLine(short)!.monthlyUsd).toBeCloseTo(optimizerLine(base)!.monthlyUsd, 9);
  });

  test("the default shop with Iceberg orders still fits its $5 budget", () => {
    expect(estimateMonthlyCost(icebergOrders(), "dev").withinBudget).toBe(true);
  });

  test("the printed estimate says what the optimizer line assumes", () => {
    expect(formatEstimate(estimateMonthlyCost(icebergOrders(), "dev"))).toContain("does not document a run's DPUs or duration");
  });

  test("lakehouse cost prints the optimizer line for an Iceberg config", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cost-")), "iceberg.json");
    const config = structuredClone(defaultConfig) as any;
    config.datasets.find((d: any) => d.name === "orders").format = "iceberg";
    writeFileSync(file, JSON.stringify(config));
    const result = run(["--config", file, "--env", "dev"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Glue table optimizers\s+│ 1 Iceberg table: /);
  });
});
