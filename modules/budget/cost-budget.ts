import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import type { LakehouseConfig } from "../config/schema";
import { RESOURCE_NAMES, resourcePrefix } from "../config/naming";
import { ENVIRONMENT_TAG } from "./budget-scope";

/**
 * One environment's budget from the config: its amount (the environment's own or
 * `budget.monthlyUsd`), alerts, and what it measures (`budget.scope`). The
 * default, `<prefix>-<env>-monthly`, counts the costs tagged `environment=<env>`
 * (the name it always had: a budget's name is its identity, and renaming it
 * would replace it in every deployed estate); `<prefix>-<env>-monthly-account`
 * counts the whole account.
 */
export function environmentBudgetProps(config: LakehouseConfig, environment: string): CostBudgetProps {
  const env = config.environments.find((e) => e.name === environment);
  if (!env) throw new Error(`environment "${environment}" is not in the config`);
  const scope = config.budget.scope;
  return {
    budgetName: RESOURCE_NAMES.budget(resourcePrefix(config, environment), scope),
    monthlyUsd: env.monthlyBudgetUsd ?? config.budget.monthlyUsd,
    alertEmails: config.budget.alertEmails,
    costTags: scope === "environment" ? { [ENVIRONMENT_TAG]: environment } : undefined,
  };
}

export interface CostBudgetProps {
  /** Budget name, unique in the account. */
  readonly budgetName: string;
  /** Monthly limit in USD. */
  readonly monthlyUsd: number;
  /** Who is e-mailed at 80% of actual and 100% of forecast spend. @default [] - no notifications */
  readonly alertEmails?: readonly string[];
  /**
   * Only count costs of resources carrying these tags (`key` -> value), as a
   * `TagKeyValue` cost filter (`user:<key>$<value>`). Needs the tags activated as
   * cost allocation tags in Billing, or the budget sees nothing. @default - the whole account
   */
  readonly costTags?: Record<string, string>;
}

/** A monthly AWS Budgets COST budget that warns before the money is spent. */
export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    // A token (a Terraform variable of an emitted module) is checked by its validation block instead.
    const amountIsToken = Token.isUnresolved(props.monthlyUsd);
    if (!amountIsToken && !(props.monthlyUsd > 0)) throw new Error(`monthlyUsd must be a positive amount, got ${props.monthlyUsd}`);
    const emails = [...(props.alertEmails ?? [])];
    const notify = (threshold: number, notificationType: "ACTUAL" | "FORECASTED") => ({
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      notificationType,
      subscriberEmailAddresses: emails,
    });
    this.budget = new BudgetsBudget(this, "budget", {
      name: props.budgetName,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: amountIsToken ? Fn.format("%.2f", [props.monthlyUsd]) : props.monthlyUsd.toFixed(2),
      limitUnit: "USD",
      costFilter: props.costTags
        ? [{ name: "TagKeyValue", values: Object.entries(props.costTags).map(([k, v]) => `user:${k}$${v}`) }]
        : undefined,
      // A list token (a Terraform variable) counts as one entry: its validation block requires an address.
      notification: emails.length > 0 ? [notify(80, "ACTUAL"), notify(100, "FORECASTED")] : undefined,
    });
  }
}
