import defaultConfig from "../../lakehouse.config";
import { resolveConfig } from "../../modules/config";
import { problemsAfter } from "../support/config-problems";
import { synthStack } from "../support/synth";

const orders = (config: any) => config.datasets.find((d: any) => d.name === "orders");

describe("config validation", () => {
  test("the default config is valid", () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });

  test("defaults are filled in for omitted settings", () => {
    const config = resolveConfig({ project: { name: "x", prefix: "abc" }, datasets: defaultConfig.datasets });
    expect(config.glue).toMatchObject({ version: "5.0", workerType: "G.1X", numberOfWorkers: 2, flex: false });
    expect(config.budget.monthlyUsd).toBe(5);
    expect(config.athena.bytesScannedCutoffPerQuery).toBe(104_857_600);
    expect(config.environments).toEqual([{ name: "dev" }]);
  });

  test("a partition key derived from a non-timestamp column names the field and the allowed columns", () => {
    const problems = problemsAfter((c) => (orders(c).partitioning.sourceColumn = "quantity"));
    expect(problems).toEqual([
      expect.stringMatching(/^datasets\[2\]\.partitioning\.sourceColumn: .*timestamp or date column.*"quantity".*Allowed: order_ts/),
    ]);
  });

  test("an hour partition on a date column is rejected", () => {
    const problems = problemsAfter((c) => {
      const customers = c.datasets[0];
      customers.partitioning = { sourceColumn: "signup_date", keys: [{ name: "hour", transform: "hour" }] };
    });
    expect(problems).toEqual([expect.stringMatching(/^datasets\[0\]\.partitioning\.keys: "hour" cannot be derived/)]);
  });

  test("a negative budget is rejected", () => {
    expect(problemsAfter((c) => (c.budget.monthlyUsd = -5))).toEqual([
      "budget.monthlyUsd: must be a positive number of US dollars",
    ]);
  });

  test("an invalid bucket prefix says what S3 allows", () => {
    expect(problemsAfter((c) => (c.project.prefix = "Shop_Lake"))).toEqual([
      expect.stringMatching(/^project\.prefix: must be 3-22 characters of a-z, 0-9 and -/),
    ]);
  });

  test("an unknown Glue version lists the supported ones", () => {
    expect(problemsAfter((c) => (c.glue.version = "4.0"))).toEqual([
      expect.stringMatching(/^glue\.version: .*"5\.0".*"5\.1"/),
    ]);
  });

  test("a foreign key to a dataset that does not exist lists the datasets", () => {
    const problems = problemsAfter((c) => (orders(c).quality.find((r: any) => r.rule === "foreign_key").references = "shops"));
    expect(problems).toEqual([expect.stringMatching(/references: "shops" is not a dataset; allowed: customers, products, orders/)]);
  });

  test("a quality rule on an unknown column names the column and the allowed ones", () => {
    const problems = problemsAfter((c) => orders(c).quality.push({ rule: "positive", columns: ["discount"] }));
    expect(problems).toEqual([expect.stringMatching(/^datasets\[2\]\.quality\[6\]: rule positive names "discount".*allowed: order_id/)]);
  });

  test("a primary key that is not a column is rejected", () => {
    expect(problemsAfter((c) => (orders(c).primaryKey = ["id"]))).toEqual([
      expect.stringMatching(/^datasets\[2\]\.primaryKey\[0\]: "id" is not a column of orders/),
    ]);
  });

  test("an Athena scan cutoff below Athena's minimum is rejected", () => {
    expect(problemsAfter((c) => (c.athena.bytesScannedCutoffPerQuery = 1000))).toEqual([
      "athena.bytesScannedCutoffPerQuery: must be at least 10485760 (10 MB), Athena's minimum",
    ]);
  });

  test("flex execution on a worker type that cannot run flex is rejected", () => {
    expect(problemsAfter((c) => Object.assign(c.glue, { flex: true, workerType: "G.4X" }))).toEqual([
      "glue.flex: flex execution needs workerType G.1X or G.2X, not G.4X",
    ]);
  });

  test("an unknown column type lists the allowed types", () => {
    expect(problemsAfter((c) => (orders(c).columns[4].type = "integer"))).toEqual([
      expect.stringMatching(/^datasets\[2\]\.columns\[4\]\.type: must be one of string, int, bigint/),
    ]);
  });

  test("an unknown field is reported instead of ignored", () => {
    expect(problemsAfter((c) => (c.budget.monthlyUSD = 5))).toEqual([expect.stringMatching(/^budget: .*monthlyUSD/)]);
  });

  test("several problems are reported together", () => {
    const problems = problemsAfter((c) => {
      c.budget.monthlyUsd = 0;
      c.project.prefix = "x";
    });
    expect(problems).toHaveLength(2);
  });
});

describe("schedules are validated as EventBridge does", () => {
  test("ingestion.schedule with a plural unit for 1 is rejected, naming the field and the valid form", () => {
    expect(problemsAfter((c) => (c.ingestion.schedule = "rate(1 hours)"))).toEqual([
      'ingestion.schedule: "rate(1 hours)": a rate of 1 takes the singular unit: "rate(1 hour)"',
    ]);
  });

  test("ingestion.schedule with a rate of 0 is rejected with an example", () => {
    expect(problemsAfter((c) => (c.ingestion.schedule = "rate(0 minutes)"))).toEqual([
      expect.stringMatching(/^ingestion\.schedule: "rate\(0 minutes\)": the rate must be a positive whole number, e\.g\. "rate\(1 hour\)"/),
    ]);
  });

  test("a five-field cron is rejected for ingestion.schedule and glue.incrementalSchedule", () => {
    const problems = problemsAfter((c) => {
      c.ingestion.schedule = "cron(0 * * * *)";
      c.glue.incrementalSchedule = "cron(0 2 * * *)";
    });
    expect(problems).toEqual([
      expect.stringMatching(/^glue\.incrementalSchedule: "cron\(0 2 \* \* \*\)" has 5 fields; .*exactly six .*e\.g\. "cron\(0 2 \* \* \? \*\)"/),
      expect.stringMatching(/^ingestion\.schedule: "cron\(0 \* \* \* \*\)" has 5 fields/),
    ]);
  });

  test("glue.incrementalSchedule without ? in day-of-month or day-of-week is rejected", () => {
    expect(problemsAfter((c) => (c.glue.incrementalSchedule = "cron(0 2 * * * *)"))).toEqual([
      expect.stringMatching(/^glue\.incrementalSchedule: "cron\(0 2 \* \* \* \*\)": one of day-of-month or day-of-week must be "\?"/),
    ]);
  });

  test("glue.incrementalSchedule refuses a rate expression, which Glue triggers do not take", () => {
    expect(problemsAfter((c) => (c.glue.incrementalSchedule = "rate(1 day)"))).toEqual([
      expect.stringMatching(/^glue\.incrementalSchedule: "rate\(1 day\)": Glue triggers take cron expressions only/),
    ]);
  });
});

describe("pattern regexes are checked in the dialect they run in", () => {
  const customers = (config: any) => config.datasets.find((d: any) => d.name === "customers");
  const withPattern = (regex: string) => (c: any) => (customers(c).quality.find((r: any) => r.rule === "pattern").regex = regex);

  test("a Java-only possessive quantifier is rejected, naming the field and the construct", () => {
    expect(problemsAfter(withPattern("[a-z]++@x"))).toEqual([
      'datasets[0].quality[1].regex: "[a-z]++@x" uses the possessive quantifier "++" at position 5, which only Java has; drop the trailing "+"',
    ]);
  });

  test("a \\p{...} property, which JavaScript reads differently without the u flag, is rejected", () => {
    expect(problemsAfter(withPattern("\\p{L}+@\\p{L}+"))).toEqual([
      expect.stringMatching(/^datasets\[0\]\.quality\[1\]\.regex: .*uses "\\p" at position 0: a Unicode property in Java/),
    ]);
  });

  test("Java inline flags are rejected with the construct named", () => {
    expect(problemsAfter(withPattern("(?i)[a-z]+@x"))).toEqual([
      expect.stringMatching(/^datasets\[0\]\.quality\[1\]\.regex: .*inline flags "\(\?i\)"/),
    ]);
  });
});

describe("values that mean off are said plainly", () => {
  test("ingestion.reservedConcurrency 0 is rejected, pointing to null or ingestion.enabled", () => {
    expect(problemsAfter((c) => (c.ingestion.reservedConcurrency = 0))).toEqual([
      'ingestion.reservedConcurrency: must be at least 1: 0 reserves nothing and throttles every invocation, so the generator would never run. Use null for "no reservation", or ingestion.enabled: false to stop the schedule',
    ]);
  });

  test("the generator construct refuses a reservation of 0 too", () => {
    const config = resolveConfig(structuredClone(defaultConfig));
    (config.ingestion as { reservedConcurrency: number | null }).reservedConcurrency = 0;
    expect(() => synthStack(config)).toThrow(/reservedConcurrentExecutions must be a whole number >= 1, or null for no reservation, got 0: 0 would throttle every invocation/);
  });

  test("ingestion.ordersPerInvocation 0 is rejected, pointing to ingestion.enabled", () => {
    expect(problemsAfter((c) => (c.ingestion.ordersPerInvocation = 0))).toEqual([
      "ingestion.ordersPerInvocation: must be at least 1 (0 would write empty files); to stop the feed set ingestion.enabled: false",
    ]);
  });

  test("a lifecycle expiry of 0 days is rejected, saying S3 needs at least 1", () => {
    expect(problemsAfter((c) => (c.storage = { quarantineExpirationDays: 0, athenaResultsExpirationDays: 0, abortIncompleteUploadDays: 0 }))).toEqual([
      "storage.quarantineExpirationDays: must be at least 1 day (S3 lifecycle rules cannot expire quarantined rows after 0 days)",
      "storage.athenaResultsExpirationDays: must be at least 1 day (S3 lifecycle rules cannot expire query results after 0 days)",
      "storage.abortIncompleteUploadDays: must be at least 1 day (S3 lifecycle rules cannot expire incomplete uploads after 0 days)",
    ]);
  });

  test("a system prefix that is not an S3 key prefix of folders is refused, naming the field", () => {
    expect(problemsAfter((c) => (c.storage = { systemPrefix: "teams/shop" }))).toEqual([
      'storage.systemPrefix: must be an S3 key prefix of folders ending with "/", such as "teams/shop/": each folder letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  test("a system prefix inside a zone is refused: a crawler of that zone would see the system keys", () => {
    expect(problemsAfter((c) => (c.storage = { systemPrefix: "curated/shop/" }))).toEqual([
      'storage.systemPrefix: must not start inside a zone of the lake (raw, curated, quarantine, quality_reports, athena-results, _system), got "curated/"',
    ]);
  });

  test("a Glue timeout of 0 is rejected as not meaning no timeout", () => {
    expect(problemsAfter((c) => (c.glue.timeoutMinutes = 0))).toEqual([
      "glue.timeoutMinutes: must be at least 1 minute (0 is not \"no timeout\"; Glue's longest is 2880)",
    ]);
  });

  test("fewer than 2 Glue workers is rejected with Glue's minimum", () => {
    expect(problemsAfter((c) => (c.glue.numberOfWorkers = 0))).toEqual(["glue.numberOfWorkers: must be at least 2, Glue's minimum for a Spark job"]);
  });

  test("a budget below one cent is rejected, since it would be a $0.00 budget", () => {
    expect(problemsAfter((c) => (c.environments[1].monthlyBudgetUsd = 0.001))).toEqual([
      "environments[1].monthlyBudgetUsd: must be at least 0.01 US dollars: the budget limit is set in cents, so less would be a $0.00 budget",
    ]);
  });

  test("an environment budget of 0 is rejected as not a positive amount", () => {
    expect(problemsAfter((c) => (c.environments[1].monthlyBudgetUsd = 0))).toEqual([
      "environments[1].monthlyBudgetUsd: must be a positive number of US dollars",
    ]);
  });
});

describe("budget scope", () => {
  test("budget.scope defaults to environment", () => {
    expect(resolveConfig({ project: { name: "x", prefix: "abc" }, datasets: defaultConfig.datasets }).budget.scope).toBe("environment");
  });

  test("budget.scope accepts only environment or account", () => {
    expect(problemsAfter((c) => (c.budget.scope = "project"))).toEqual([expect.stringMatching(/^budget\.scope: .*"environment".*"account"/)]);
  });
});
