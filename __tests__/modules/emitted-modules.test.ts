import { synthesizeModule, moduleContext, type EmittedModule } from "../../scripts/modules/emit";
import { checkModule, dependsOnOf, referencesOf, unresolved } from "../../scripts/modules/checks";
import { AWS_PROVIDER_REQUIREMENT, type Json } from "../../scripts/modules/module-json";
import { MODULE_DEFINITIONS } from "../../scripts/modules/registry";
import { testConfig } from "../support/synth";

const context = moduleContext(testConfig());
const modules: EmittedModule[] = MODULE_DEFINITIONS.map((definition) => synthesizeModule(definition, context));
const raw = (module: EmittedModule) => module.json as unknown as Record<string, Json>;

test("every area and the whole lakehouse are emitted", () => {
  expect(modules.map((m) => m.name)).toEqual(["storage", "catalog", "analytics", "budget", "etl", "lakehouse"]);
});

describe.each(modules.map((m) => [m.name, m] as const))("module %s", (_name, module) => {
  test("has no provider and no backend block", () => {
    expect(raw(module).provider).toBeUndefined();
    expect(Object.keys(module.json.terraform)).toEqual(["required_providers"]);
  });

  test("requires hashicorp/aws >= 6.0, < 7.0", () => {
    expect(module.json.terraform.required_providers).toEqual({ aws: { source: "hashicorp/aws", version: ">= 6.0, < 7.0" } });
    expect(AWS_PROVIDER_REQUIREMENT.version).toBe(">= 6.0, < 7.0");
  });

  test("every var.x it references is declared", async () => {
    const variables = (await referencesOf(raw(module))).filter((r) => r.value.startsWith("var."));
    expect(variables.length).toBeGreaterThan(0);
    expect(variables.filter((r) => unresolved(r.value, module.json))).toEqual([]);
  });

  test("every resource, data source and module reference resolves to a declaration", async () => {
    const references = [...(await referencesOf(raw(module))), ...dependsOnOf(raw(module))].filter((r) => !r.value.startsWith("var."));
    expect(references.length).toBeGreaterThan(0);
    expect(references.map((r) => ({ ...r, problem: unresolved(r.value, module.json) })).filter((r) => r.problem)).toEqual([]);
  });

  test("every output has a snake_case name, a description and a value that references something declared", async () => {
    const outputs = Object.entries(module.json.output ?? {});
    expect(outputs.length).toBeGreaterThan(0);
    for (const [name, output] of outputs) {
      const references = await referencesOf(output.value, `output.${name}.value`);
      expect({ name, snake: /^[a-z][a-z0-9_]*$/.test(name), described: Boolean(output.description), references: references.length > 0 }).toEqual({
        name,
        snake: true,
        described: true,
        references: true,
      });
      expect(references.filter((r) => unresolved(r.value, module.json))).toEqual([]);
    }
  });

  test("every variable has a type and a description", () => {
    for (const [name, variable] of Object.entries(module.json.variable ?? {})) {
      expect({ name, type: typeof variable.type, description: typeof variable.description }).toEqual({ name, type: "string", description: "string" });
    }
  });

  test("the full static check finds nothing", async () => {
    expect(await checkModule(module.json, new Set(module.files.keys()))).toEqual([]);
  });

  test("ships a README with its inputs and outputs", () => {
    const readme = module.files.get("README.md")!.toString("utf8");
    for (const name of [...Object.keys(module.json.variable ?? {}), ...Object.keys(module.json.output ?? {})]) {
      expect(readme).toContain(`| \`${name}\` |`);
    }
  });

  test("carries no cdktf metadata", () => {
    expect(module.files.get("main.tf.json")!.toString("utf8")).not.toContain('"//"');
  });
});

describe("inputs a consumer sets", () => {
  const variablesOf = (name: string) => modules.find((m) => m.name === name)!.json.variable ?? {};

  test("storage takes the bucket name and the expirations, defaulting to the config's", () => {
    const variables = variablesOf("storage");
    expect(variables.bucket_name.default).toBeUndefined();
    expect(variables.quarantine_expiration_days.default).toBe(30);
    expect(variables.athena_results_expiration_days.default).toBe(7);
  });

  test("the budget amount defaults to the environment's budget and e-mails are required", () => {
    expect(variablesOf("budget").monthly_budget_usd.default).toBe(5);
    expect(variablesOf("budget").alert_emails.default).toBeUndefined();
    const prod = synthesizeModule(MODULE_DEFINITIONS.find((d) => d.name === "budget")!, moduleContext(testConfig(), "prod"));
    expect(prod.json.variable!.monthly_budget_usd.default).toBe(10);
  });

  test("the Athena scan cutoff is validated against Athena's 10 MB minimum", () => {
    const cutoff = variablesOf("analytics").bytes_scanned_cutoff_per_query;
    expect(cutoff.default).toBe(104857600);
    expect(cutoff.validation![0].condition).toBe("${var.bytes_scanned_cutoff_per_query >= 10485760}");
  });

  test("the incremental schedule is an input of the ETL module", () => {
    expect(variablesOf("etl").incremental_schedule.default).toBe("cron(0 2 * * ? *)");
  });

  test("the budget limit keeps two decimals through Terraform's format()", () => {
    const budget = modules.find((m) => m.name === "budget")!.json.resource!.aws_budgets_budget;
    expect(Object.values(budget)[0].limit_amount).toBe('${format("%.2f", var.monthly_budget_usd)}');
  });

  test("a config with a KMS key gives the modules a kms_key_arn input and KMS encryption", () => {
    const kms = moduleContext(testConfig((c) => (c.storage = { kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abc" })));
    const storage = synthesizeModule(MODULE_DEFINITIONS[0], kms).json;
    expect(storage.variable!.kms_key_arn.default).toBeUndefined();
    const encryption = Object.values(storage.resource!.aws_s3_bucket_server_side_encryption_configuration)[0] as any;
    expect(encryption.rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toBe("${var.kms_key_arn}");
  });
});

test("the emitted lakehouse module's budget counts the account: it cannot rely on the caller tagging environment", () => {
  const lakehouse = modules.find((m) => m.name === "lakehouse")!;
  const budgets = Object.values((raw(lakehouse).resource as Record<string, Record<string, Record<string, Json>>>).aws_budgets_budget ?? {});
  expect(budgets).toHaveLength(1);
  expect(budgets[0].cost_filter).toBeUndefined();
});
