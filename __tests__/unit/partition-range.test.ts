import { ConfigError } from "../../modules/config";
import { renderGlueScripts } from "../../modules/etl/render";
import { readGlueTemplates } from "../../scripts/build/glue-templates";
import { resourcesOfType, synthStack, testConfig } from "../support/synth";

const orders = (config: any) => config.datasets.find((d: any) => d.name === "orders");
const ordersTable = (parsed: ReturnType<typeof synthStack>["parsed"]) =>
  resourcesOfType(parsed, "aws_glue_catalog_table").find((t) => t.name === "orders")!;

describe("the partition projection range comes from the config", () => {
  test("by default Athena's projection enumerates the years 2020 to 2040", () => {
    expect(ordersTable(synthStack().parsed).parameters["projection.year.range"]).toBe("2020,2040");
  });

  test("the years the config declares reach the catalog's projection and the rendered job", () => {
    const config = testConfig((c) => (orders(c).partitioning.years = { from: 2015, to: 2030 }));
    expect(ordersTable(synthStack(config).parsed).parameters["projection.year.range"]).toBe("2015,2030");
    expect(renderGlueScripts(config, readGlueTemplates()).batch).toContain('"years": (2015, 2030)');
  });

  test("a range that ends before it starts is rejected, naming the field", () => {
    expect(() => testConfig((c) => (orders(c).partitioning.years = { from: 2030, to: 2020 }))).toThrow(ConfigError);
    expect(() => testConfig((c) => (orders(c).partitioning.years = { from: 2030, to: 2020 }))).toThrow(/datasets\[2\]\.partitioning\.years\.to: from must not be after to/);
  });
});
