import defaultConfig from "../../lakehouse.config";
import { ConfigError, resolveConfig, type LakehouseConfigInput } from "../../modules/config";
import { namePrefixValidation } from "../../modules/terraform-module";

/** Whether the config accepts this prefix and environment name. */
function configAccepts(prefix: string, environment: string): boolean {
  const copy = structuredClone(defaultConfig) as LakehouseConfigInput;
  copy.project.prefix = prefix;
  copy.environments = [{ name: environment }];
  try {
    resolveConfig(copy);
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

/** Evaluates the emitted modules' `name_prefix` condition (a regex and a "--" check) for one value. */
function moduleAccepts(namePrefix: string): boolean {
  const [{ condition }] = namePrefixValidation("name_prefix");
  const regex = /regex\("([^"]+)"/.exec(condition)![1];
  expect(condition).toContain('!strcontains(var.name_prefix, "--")');
  return new RegExp(regex).test(namePrefix) && !namePrefix.includes("--");
}

const CASES: [string, string][] = [
  ["shoplake", "dev"],
  ["a1b", "prod"],
  ["abcdefghijklmnopqrstuv", "prod"], // 22 characters: the longest prefix
  ["abcdefghijklmnopqrstuvw", "dev"], // 23: too long
  ["ab", "dev"], // too short
  ["shop--lake", "dev"],
  ["-shop", "dev"],
  ["shop-", "dev"],
  ["Shop", "dev"],
  ["shoplake", "Dev"],
  ["shoplake", "1dev"],
  ["shoplake", "abcdefghijk"], // 11: too long
  ["shop-lake", "qa2"],
];

test.each(CASES)("the emitted modules' name_prefix rule agrees with the config on prefix %s and environment %s", (prefix, environment) => {
  expect(moduleAccepts(`${prefix}-${environment}`)).toBe(configAccepts(prefix, environment));
});
