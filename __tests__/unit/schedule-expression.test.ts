import { scheduleExpressionProblem } from "../../modules/config/schedule-expression";

describe("schedule expressions as EventBridge checks them", () => {
  test("rate(1 unit) takes the singular unit", () => {
    for (const ok of ["rate(1 minute)", "rate(1 hour)", "rate(1 day)"]) expect(scheduleExpressionProblem(ok)).toBeUndefined();
    expect(scheduleExpressionProblem("rate(1 minutes)")).toBe('"rate(1 minutes)": a rate of 1 takes the singular unit: "rate(1 minute)"');
    expect(scheduleExpressionProblem("rate(1 hours)")).toMatch(/singular unit: "rate\(1 hour\)"$/);
    expect(scheduleExpressionProblem("rate(1 days)")).toMatch(/singular unit: "rate\(1 day\)"$/);
  });

  test("rate(N units) takes the plural unit for N above 1", () => {
    for (const ok of ["rate(5 minutes)", "rate(2 hours)", "rate(7 days)"]) expect(scheduleExpressionProblem(ok)).toBeUndefined();
    expect(scheduleExpressionProblem("rate(5 minute)")).toBe('"rate(5 minute)": a rate above 1 takes the plural unit: "rate(5 minutes)"');
    expect(scheduleExpressionProblem("rate(2 hour)")).toMatch(/plural unit: "rate\(2 hours\)"$/);
    expect(scheduleExpressionProblem("rate(7 day)")).toMatch(/plural unit: "rate\(7 days\)"$/);
  });

  test("a rate must be a positive whole number", () => {
    for (const bad of ["rate(0 hours)", "rate(-1 hours)", "rate(1.5 hours)", "rate(x hours)"]) {
      expect(scheduleExpressionProblem(bad)).toMatch(/the rate must be a positive whole number, e\.g\. "rate\(1 hour\)"/);
    }
  });

  test("a rate unit other than minutes, hours or days is rejected with an example", () => {
    expect(scheduleExpressionProblem("rate(2 weeks)")).toMatch(/unit must be minute\(s\), hour\(s\) or day\(s\), e\.g\. "rate\(1 hour\)"/);
  });

  test("a cron expression needs exactly six fields", () => {
    expect(scheduleExpressionProblem("cron(0 2 * * ? *)")).toBeUndefined();
    expect(scheduleExpressionProblem("cron(0 2 * * *)")).toBe(
      '"cron(0 2 * * *)" has 5 fields; a cron expression needs exactly six (minutes hours day-of-month month day-of-week year), ' +
        'e.g. "cron(0 2 * * ? *)" (daily at 02:00 UTC) or "cron(0 8 ? * MON-FRI *)"',
    );
    expect(scheduleExpressionProblem("cron(0 2 * * ? * *)")).toMatch(/has 7 fields; .*exactly six/);
  });

  test("one of day-of-month or day-of-week must be ?, not both", () => {
    expect(scheduleExpressionProblem("cron(0 8 ? * MON-FRI *)")).toBeUndefined();
    expect(scheduleExpressionProblem("cron(0 0 1 * ? *)")).toBeUndefined();
    expect(scheduleExpressionProblem("cron(0 2 * * * *)")).toMatch(/one of day-of-month or day-of-week must be "\?" and the other not \(neither is\), e\.g\. "cron\(0 2 \* \* \? \*\)"/);
    expect(scheduleExpressionProblem("cron(0 2 ? * ? *)")).toMatch(/must be "\?" and the other not \(both are\)/);
  });

  test("cron field values must be in their field's range", () => {
    expect(scheduleExpressionProblem("cron(61 2 * * ? *)")).toMatch(/minutes "61" is outside 0-59, e\.g\. "cron\(0 2 \* \* \? \*\)"/);
    expect(scheduleExpressionProblem("cron(0 24 * * ? *)")).toMatch(/hours "24" is outside 0-23/);
    expect(scheduleExpressionProblem("cron(0 2 * FOO ? *)")).toMatch(/month "FOO" is outside 1-12 or JAN-DEC/);
    expect(scheduleExpressionProblem("cron(? 2 * * ? *)")).toMatch(/minutes "\?" cannot be "\?"/);
  });

  test("cron wildcards EventBridge documents are accepted", () => {
    for (const ok of [
      "cron(0/15 * * * ? *)",
      "cron(0 2 L * ? *)",
      "cron(0 2 15W * ? *)",
      "cron(0 2 ? * 6#3 *)",
      "cron(0 2 ? * FRIL *)",
      "cron(0,30 8-17 ? JAN-MAR MON-FRI 2030)",
    ]) {
      expect(scheduleExpressionProblem(ok)).toBeUndefined();
    }
  });

  test("a Glue trigger takes cron only", () => {
    expect(scheduleExpressionProblem("cron(0 2 * * ? *)", "glue")).toBeUndefined();
    expect(scheduleExpressionProblem("rate(1 day)", "glue")).toMatch(/Glue triggers take cron expressions only, e\.g\. "cron\(0 2 \* \* \? \*\)"/);
  });

  test("something that is neither rate nor cron is rejected with examples of both", () => {
    expect(scheduleExpressionProblem("hourly")).toMatch(/^"hourly" must be "rate\(N unit\)" or "cron\(\.\.\.\)", e\.g\. "rate\(1 hour\)"/);
  });
});
