import type { Command } from "commander";
import { estimateMonthlyCost, PRICES, type CostEstimate } from "../../modules/budget/cost-estimate";
import { schemaDefaults } from "../../modules/config/defaults";
import { checkEnvironmentOption, configOption, loadConfigFile } from "./load-config";
import { compactTable } from "../lib/compact-table";

/** `lakehouse cost`: the monthly estimate per environment against its budget. */
export function registerCostCommands(program: Command): void {
  program
    .command("cost")
    .description(
      "Estimate each environment's monthly AWS cost from the config; exits 1 when an estimate exceeds its budget, unless budget.allowOverBudget is true (then it warns)",
    )
    .addOption(configOption())
    .option("-e, --env <name>", "only this environment")
    .option("--json", "print the estimates as JSON")
    .addHelpText("after", budgetHelp)
    .action((options: { config: string; env?: string; json?: boolean }, command: Command) => {
      const config = loadConfigFile(options.config);
      checkEnvironmentOption(command, config, options.env);
      const environments = config.environments.map((e) => e.name).filter((name) => !options.env || name === options.env);
      const estimates = environments.map((name) => estimateMonthlyCost(config, name));
      console.log(options.json ? JSON.stringify(estimates, null, 2) : estimates.map(formatEstimate).join("\n\n"));
      if (!options.json) console.log(`\nPrices: list prices in USD (${Object.keys(PRICES).length} rates in modules/budget/cost-estimate.ts); assumptions there too.`);
      const over = estimates.filter((e) => !e.withinBudget);
      if (over.length === 0) return;
      const overs = over.map((e) => `${e.environment} is estimated at $${e.totalUsd.toFixed(2)}/month, over its $${e.budgetUsd.toFixed(2)} budget`).join("; ");
      if (config.budget.allowOverBudget) {
        // The config accepted the cost (synth honours the same setting), so scripts such as `npm start` go on.
        console.error(`lakehouse: warning: ${overs}; going on because budget.allowOverBudget is true`);
        return;
      }
      console.error(`lakehouse: over budget: ${overs}; lower the schedule, workers or run time, raise budget.monthlyUsd, or set budget.allowOverBudget: true`);
      process.exitCode = 1;
    });
}

/** The budget settings the verdict compares with, and their defaults as the schema fills them in. */
export function budgetHelp(): string {
  const { budget } = schemaDefaults();
  return `
Budgets (config settings; defaults from modules/config/schema.ts):
  budget.monthlyUsd  monthly budget of each environment, default $${budget.monthlyUsd.toFixed(2)}
                     (environments[].monthlyBudgetUsd overrides it for one environment)
  budget.scope       what the AWS Budgets budget counts, default "${budget.scope}":
                     "environment" only costs tagged environment=<name> (as this estimate),
                     "account" the whole account, other workloads included`;
}

export function formatEstimate(estimate: CostEstimate): string {
  const table = compactTable(["item", "basis", "USD/month"], ["left", "left", "right"]);
  for (const line of estimate.lines) table.push([line.item, line.basis, line.monthlyUsd.toFixed(2)]);
  table.push(["total", "", estimate.totalUsd.toFixed(2)]);
  const verdict = estimate.withinBudget
    ? `within the $${estimate.budgetUsd.toFixed(2)} budget (${((estimate.totalUsd / estimate.budgetUsd) * 100).toFixed(0)}%)`
    : `OVER the $${estimate.budgetUsd.toFixed(2)} budget by $${(estimate.totalUsd - estimate.budgetUsd).toFixed(2)}`;
  return [
    `${estimate.environment}: estimated $${estimate.totalUsd.toFixed(2)}/month, ${verdict}`,
    `budget counts ${estimate.budgetMeasures}`,
    table.toString(),
    ...estimate.notes,
  ].join("\n");
}
