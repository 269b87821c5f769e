import type { BudgetScope } from "../config/schema";

/**
 * The tag every resource of a stack carries (the AWS provider's default tags,
 * `modules/lakehouse-stack.ts`) and an environment-scoped budget filters on.
 */
export const ENVIRONMENT_TAG = "environment";

/** What a budget of this scope counts, in words: the cost estimate prints it, the budget's name ends with the scope. */
export function budgetScopeDescription(scope: BudgetScope, environment: string): string {
  return scope === "environment"
    ? `only costs tagged ${ENVIRONMENT_TAG}=${environment}, as this estimate does (budget.scope "environment")`
    : `the whole AWS account, other workloads included, while this estimate counts only ${environment} (budget.scope "account")`;
}
