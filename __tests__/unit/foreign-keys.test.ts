import { problemsAfter } from "../support/config-problems";

const dataset = (config: any, name: string) => config.datasets.find((d: any) => d.name === name);

describe("foreign keys reference a primary key", () => {
  test("a foreign key column may be named unlike the key it references", () => {
    const problems = problemsAfter((c) => {
      dataset(c, "orders").columns.push({ name: "recipient_id", type: "string" });
      dataset(c, "orders").quality.push({ rule: "foreign_key", column: "recipient_id", references: "customers" });
    });
    expect(problems).toEqual([]);
  });

  test("a foreign key to a dataset with a composite primary key is rejected, naming that key", () => {
    const problems = problemsAfter((c) => (dataset(c, "customers").primaryKey = ["customer_id", "email"]));
    expect(problems).toEqual([
      expect.stringMatching(/^datasets\[2\]\.quality\[2\]\.references: a foreign key references a one-column primary key; customers's is composite \(customer_id, email\)/),
    ]);
  });

  test("a foreign key whose type differs from the key it references is rejected, naming both types", () => {
    const problems = problemsAfter((c) => (dataset(c, "orders").columns.find((col: any) => col.name === "product_id").type = "int"));
    expect(problems).toEqual([expect.stringMatching(/^datasets\[2\]\.quality\[3\]\.column: foreign key product_id \(int\) must have the type of products\.product_id \(string\)/)]);
  });
});
