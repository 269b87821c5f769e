import { parse } from "@cdktf/hcl2json";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkConsumer } from "../../scripts/modules/checks";
import { moduleContext, synthesizeModule } from "../../scripts/modules/emit";
import type { Json, ModuleJson } from "../../scripts/modules/module-json";
import { MODULE_DEFINITIONS } from "../../scripts/modules/registry";
import { testConfig } from "../support/synth";

const context = moduleContext(testConfig());
const emitted = new Map(MODULE_DEFINITIONS.map((d) => [d.name, synthesizeModule(d, context).json] as const));
/** `../../dist/modules/<name>` -> the module `npm run modules` writes there. */
const bySource = (source: string): ModuleJson | undefined => (source.includes("dist/modules/") ? emitted.get(basename(source)) : undefined);

const examplePath = join(__dirname, "..", "..", "examples", "consumer", "main.tf");

describe("examples/consumer/main.tf", () => {
  let example: Record<string, Json>;
  beforeAll(async () => {
    example = await parse("main.tf", readFileSync(examplePath, "utf8"));
  });

  test("parses as HCL and configures the provider itself", () => {
    expect(Object.keys(example.provider as object)).toEqual(["aws"]);
  });

  test("calls the emitted area modules from dist/modules", () => {
    const sources = Object.values(example.module as Record<string, { source: string }[]>).map((blocks) => blocks[0].source);
    expect(sources.sort()).toEqual(["analytics", "budget", "catalog", "etl", "storage"].map((name) => `../../dist/modules/${name}`));
  });

  test("passes each module only inputs it declares, every required one, and reads only outputs it has", async () => {
    expect(await checkConsumer(example, bySource)).toEqual([]);
  });

  test("wires the storage module's bucket into the catalog, analytics and ETL modules", () => {
    const modules = example.module as Record<string, Record<string, string>[]>;
    for (const name of ["catalog", "analytics", "etl"]) expect(modules[name][0].bucket_name).toBe("${module.storage.bucket_name}");
    expect(modules.analytics[0].database_name).toBe("${module.catalog.database_name}");
  });
});

describe("consumer check", () => {
  test("reports an unknown input, a missing required input and an output the module does not have", async () => {
    const config = await parse(
      "bad.tf",
      [
        'module "budget" {',
        '  source      = "../../dist/modules/budget"',
        '  budget_name = "b"',
        "  amount      = 5",
        "}",
        'output "x" {',
        "  value = module.budget.arn",
        "}",
      ].join("\n"),
    );
    expect(await checkConsumer(config, bySource)).toEqual([
      expect.stringMatching(/^module "budget": unknown input "amount"/),
      'module "budget": required input "alert_emails" is not set',
      'output.x[0].value: module.budget.arn: module "budget" has no output "arn"',
    ]);
  });
});
