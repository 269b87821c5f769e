import { onlyResource, synthStack, testConfig } from "../support/synth";

describe("budget", () => {
  test("a monthly cost budget of the configured amount", () => {
    const budget = onlyResource(synthStack().parsed, "aws_budgets_budget");
    expect(budget).toMatchObject({ budget_type: "COST", time_unit: "MONTHLY", limit_amount: "5.00", limit_unit: "USD" });
  });

  test("alerts at 80% of actual and 100% of forecast spend to the configured emails", () => {
    const { notification } = onlyResource(synthStack().parsed, "aws_budgets_budget");
    expect(notification).toEqual([
      expect.objectContaining({ threshold: 80, notification_type: "ACTUAL", subscriber_email_addresses: ["data-team@example.com"] }),
      expect.objectContaining({ threshold: 100, notification_type: "FORECASTED", subscriber_email_addresses: ["data-team@example.com"] }),
    ]);
  });

  test("an environment's own budget overrides the default", () => {
    const budget = onlyResource(synthStack(testConfig(), "prod").parsed, "aws_budgets_budget");
    expect(budget.limit_amount).toBe("10.00");
  });

  test("no notifications are declared when no emails are configured", () => {
    const config = testConfig((c) => (c.budget = { monthlyUsd: 5, alertEmails: [] }));
    expect(onlyResource(synthStack(config).parsed, "aws_budgets_budget").notification).toBeUndefined();
  });
});

describe("budgets measure what the estimate measures", () => {
  test("an environment's budget counts only costs tagged with that environment", () => {
    expect(onlyResource(synthStack().parsed, "aws_budgets_budget").cost_filter).toEqual([{ name: "TagKeyValue", values: ["user:environment$dev"] }]);
    expect(onlyResource(synthStack(testConfig(), "prod").parsed, "aws_budgets_budget").cost_filter).toEqual([
      { name: "TagKeyValue", values: ["user:environment$prod"] },
    ]);
  });

  test("the budget filters on the tag the provider puts on every resource", () => {
    const { parsed } = synthStack(testConfig(), "prod");
    const [filter] = onlyResource(parsed, "aws_budgets_budget").cost_filter;
    const [, key, value] = /^user:([^$]+)\$(.+)$/.exec(filter.values[0])!;
    expect(parsed.provider!.aws[0].default_tags[0].tags[key]).toBe(value);
  });

  test("the environment budget keeps its name, so a deployed budget is updated in place, not replaced", () => {
    expect(onlyResource(synthStack().parsed, "aws_budgets_budget").name).toBe("shoplake-dev-monthly");
  });

  test("budget.scope account makes an account-wide budget whose name says so", () => {
    const budget = onlyResource(synthStack(testConfig((c) => (c.budget!.scope = "account"))).parsed, "aws_budgets_budget");
    expect(budget.cost_filter).toBeUndefined();
    expect(budget.name).toBe("shoplake-dev-monthly-account");
  });
});
