/** What a config of many datasets is refused for: datasets that collide, and jobs that cannot be split as declared. */
import { problemsAfter } from "../support/config-problems";

const products = (config: any) => config.datasets.find((d: any) => d.name === "products");
const copyOfProducts = (config: any, name: string, table: string) => ({ ...structuredClone(products(config)), name, table });

describe("datasets that collide", () => {
  test("a dataset whose raw folder is another dataset's feed folder is refused, naming both", () => {
    const problems = problemsAfter((c) => c.datasets.push(copyOfProducts(c, "orders_incremental", "dim_other")));
    expect(problems).toEqual([
      "datasets[3].name: raw/orders_incremental/ is already the raw folder of dataset orders; dataset orders_incremental needs a folder of its own (rename one of them)",
    ]);
  });

  test("two feeds into one raw folder are refused, naming both", () => {
    const problems = problemsAfter((c) => {
      c.datasets.push({ ...copyOfProducts(c, "returns", "returns"), incremental: { rawFolder: "orders_incremental" } });
    });
    expect(problems).toContainEqual(expect.stringMatching(/^datasets\[3\]\.incremental\.rawFolder: raw\/orders_incremental\/ is already the raw folder of dataset orders; dataset returns/));
  });

  test("two tables that render to the same IAM statement id are refused, naming both", () => {
    const problems = problemsAfter((c) => {
      c.datasets.push(copyOfProducts(c, "catalog_a", "dim_1"), copyOfProducts(c, "catalog_b", "dim1"));
    });
    expect(problems).toEqual(['datasets[4].table: "dim1" and "dim_1" both render to the IAM statement id part "Dim1"; rename one of the two tables']);
  });

  test("the same table twice is refused", () => {
    expect(problemsAfter((c) => c.datasets.push(copyOfProducts(c, "catalog_a", "dim_products")))).toContainEqual('datasets: table name "dim_products" is used twice; names must be unique');
  });
});

describe("glue.datasetsPerJob", () => {
  test("is refused outside 1..100, naming the field", () => {
    expect(problemsAfter((c) => (c.glue = { datasetsPerJob: 0 }))).toEqual(["glue.datasetsPerJob: must be at least 1"]);
    expect(problemsAfter((c) => (c.glue = { datasetsPerJob: 101 }))).toEqual([
      "glue.datasetsPerJob: must be at most 100 (a role for more datasets outgrows IAM's policy quotas)",
    ]);
  });

  test("a foreign key to a dataset that a later job processes is refused, naming both jobs and the fix", () => {
    const problems = problemsAfter((c) => {
      c.glue = { datasetsPerJob: 1 };
      const [customers, productsDataset, orders] = c.datasets;
      c.datasets = [orders, customers, productsDataset];
    });
    expect(problems).toEqual([
      expect.stringMatching(/^datasets\[0\]\.quality\[2\]\.references: "customers" is processed by the Glue job batch-2, after this dataset's batch \(glue\.datasetsPerJob 1\).*declare customers before orders$/),
      expect.stringMatching(/^datasets\[0\]\.quality\[3\]\.references: "products" is processed by the Glue job batch-3/),
    ]);
  });

  test("referenced datasets declared first may be in earlier jobs", () => {
    expect(problemsAfter((c) => (c.glue = { datasetsPerJob: 1 }))).toEqual([]);
  });
});
