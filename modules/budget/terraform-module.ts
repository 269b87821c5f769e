import type { TerraformModuleDefinition } from "../terraform-module";
import { moduleInput, moduleOutput } from "../terraform-module";
import { CostBudget } from "./cost-budget";

/** `dist/modules/budget`: a monthly AWS Budgets cost alert. */
export const budgetModule: TerraformModuleDefinition = {
  name: "budget",
  description: "A monthly AWS Budgets COST budget that e-mails at 80% of actual and 100% of forecast spend.",
  usage: { budget_name: '"shoplake-dev-monthly"', alert_emails: '["data-team@example.com"]' },
  build(stack, { config, environment }) {
    const env = config.environments.find((e) => e.name === environment);
    const name = moduleInput(stack, "budget_name", {
      type: "string",
      description: "Budget name, unique in the account",
    });
    const amount = moduleInput(stack, "monthly_budget_usd", {
      type: "number",
      description: "Monthly limit in US dollars",
      default: env?.monthlyBudgetUsd ?? config.budget.monthlyUsd,
      validation: [{ condition: "${var.monthly_budget_usd > 0}", errorMessage: "monthly_budget_usd must be a positive amount." }],
    });
    const emails = moduleInput(stack, "alert_emails", {
      type: "list(string)",
      description: "Who is e-mailed at 80% of actual and 100% of forecast spend (at least one address)",
      validation: [
        {
          condition: '${length(var.alert_emails) > 0 && alltrue([for e in var.alert_emails : can(regex("^[^@\\\\s]+@[^@\\\\s]+$", e))])}',
          errorMessage: "alert_emails must hold at least one e-mail address.",
        },
      ],
    });
    const budget = new CostBudget(stack, "budget", {
      budgetName: name.stringValue,
      monthlyUsd: amount.numberValue,
      alertEmails: emails.listValue,
    });

    moduleOutput(stack, "budget_name", budget.budget.name, "Name of the budget");
    moduleOutput(stack, "budget_id", budget.budget.id, "Id of the budget (`<account>:<name>`)");
  },
};
