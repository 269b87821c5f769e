import { checkModule } from "../../scripts/modules/checks";
import { moduleContext, synthesizeModule, type EmittedModule } from "../../scripts/modules/emit";
import { MODULE_DEFINITIONS } from "../../scripts/modules/registry";
import { testConfig } from "../support/synth";

/** The modules emitted from the default shop with Iceberg orders. */
const context = moduleContext(testConfig((c) => (c.datasets.find((d) => d.name === "orders")!.format = "iceberg")));
const modules = new Map<string, EmittedModule>(MODULE_DEFINITIONS.map((definition) => [definition.name, synthesizeModule(definition, context)]));
const resources = (name: string, type: string) => Object.values((modules.get(name)!.json.resource?.[type] ?? {}) as Record<string, any>);

test.each([...modules.keys()])("the %s module of an Iceberg config is sound", async (name) => {
  const module = modules.get(name)!;
  expect(await checkModule(module.json, new Set(module.files.keys()))).toEqual([]);
});

test("the catalog module declares the Iceberg table, its three optimizers and their role", () => {
  const orders = resources("catalog", "aws_glue_catalog_table").find((t) => t.name === "orders");
  expect(orders.open_table_format_input).toEqual({ iceberg_input: { metadata_operation: "CREATE", version: "2" } });
  expect(resources("catalog", "aws_glue_catalog_table_optimizer").map((o) => o.type).sort()).toEqual(["compaction", "orphan_file_deletion", "retention"]);
  expect(resources("catalog", "aws_iam_role").map((r) => r.name)).toContain("${var.name_prefix}-table-optimizer");
});

test("the etl module takes the database the Iceberg tables are in", () => {
  expect(modules.get("etl")!.json.variable?.database_name).toMatchObject({ type: "string" });
  const batch = resources("etl", "aws_glue_job").find((j) => String(j.name).endsWith("-batch"));
  expect(batch.default_arguments["--catalog_database"]).toBe("${var.database_name}");
});

test("the etl module of a Parquet-only config has no database input", () => {
  const parquet = synthesizeModule(MODULE_DEFINITIONS.find((d) => d.name === "etl")!, moduleContext(testConfig()));
  expect(parquet.json.variable?.database_name).toBeUndefined();
});
