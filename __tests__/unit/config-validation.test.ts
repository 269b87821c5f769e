import defaultConfig from "../../lakehouse.config";
import { ConfigError, resolveConfig, type LakehouseConfigInput } from "../../modules/config";

/** Applies a change to a copy of the default config and returns the validation problems. */
function problemsAfter(change: (config: any) => void): string[] {
  const copy = structuredClone(defaultConfig) as LakehouseConfigInput;
  change(copy);
  try {
    resolveConfig(copy);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

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
