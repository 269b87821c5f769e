import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";
import { buildApp } from "../../main";
import { assertWithinBudget, estimateMonthlyCost, runsPerMonth } from "../../modules/budget";
import { testConfig } from "../support/synth";

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
    expect(() => buildApp({ outdir: "unused", config })).not.toThrow();
  });

  test("the app refuses to build an over-budget config", () => {
    const config = structuredClone(defaultConfig) as any;
    hourlyGlue(config);
    expect(() => buildApp({ outdir: "unused", config })).toThrow(/exceeds the budget/);
  });
});

describe("lakehouse cost", () => {
  const repo = join(__dirname, "..", "..");
  const run = (args: string[]) => spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), "cost", ...args], { cwd: repo, encoding: "utf8" });

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
