import { TerraformOutput, TerraformVariable, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { ENVIRONMENT_NAME_PATTERN, PROJECT_PREFIX_PATTERN, type LakehouseConfig } from "./config/schema";
import type { LakehouseArtifacts } from "./lakehouse";
import { ExistingLakeBucket } from "./storage/lake-bucket";

/**
 * How a construct becomes a plain Terraform module (`npm run modules` writes
 * `dist/modules/<name>/`). Each area declares its own definition beside its
 * construct (`modules/<area>/terraform-module.ts`), because the variable and
 * output names are a public contract of that construct, like its props: a
 * rename breaks every estate that calls the module. The emitter in
 * `scripts/modules/` is generic: it synthesizes the stack, drops the provider
 * and backend, and writes the files.
 */
export interface TerraformModuleDefinition {
  /** Folder under `dist/modules/`, and the module block name in examples. */
  readonly name: string;
  /** What the module deploys, one paragraph for its README. */
  readonly description: string;
  /** Required inputs as HCL expressions, for the README's usage example. */
  readonly usage: Readonly<Record<string, string>>;
  /** Declares the variables, builds the construct from them and declares the outputs. */
  build(stack: TerraformStack, context: ModuleContext): void;
}

/** What a definition builds from: the config fixes the structure; variables carry what a consumer sets. */
export interface ModuleContext {
  readonly config: LakehouseConfig;
  /** Environment of the config whose values become the variables' defaults. */
  readonly environment: string;
  /** The artifacts built for `config`: scripts, zips and queries become part of the module. */
  readonly artifacts: LakehouseArtifacts;
}

export interface ModuleInputOptions {
  /** Terraform type constraint, e.g. `string`, `number`, `list(string)`. */
  readonly type: string;
  readonly description: string;
  /** @default - none: the input is required */
  readonly default?: unknown;
  /** Terraform validation blocks; `condition` is an expression over `var.<name>`. */
  readonly validation?: readonly { condition: string; errorMessage: string }[];
}

/** A module input; never null (a null argument takes the default). */
export function moduleInput(scope: Construct, name: string, options: ModuleInputOptions): TerraformVariable {
  return new TerraformVariable(scope, name, {
    type: options.type,
    description: options.description,
    default: options.default,
    nullable: false,
    validation: options.validation?.map((v) => ({ condition: v.condition, errorMessage: v.errorMessage })),
  });
}

/** A module output with a stable snake_case name. */
export function moduleOutput(scope: Construct, name: string, value: unknown, description: string): TerraformOutput {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`output name "${name}" must be snake_case`);
  // Outputs and variables are separate namespaces in Terraform, not in the construct tree.
  const output = new TerraformOutput(scope, `output-${name}`, { value, description });
  output.overrideLogicalId(name);
  return output;
}

/** The account and region the calling configuration's provider points at. */
export function callerAccountAndRegion(stack: TerraformStack): { accountId: string; region: string } {
  const identity = new DataAwsCallerIdentity(stack, "current");
  const region = new DataAwsRegion(stack, "current-region");
  region.overrideLogicalId("current");
  return { accountId: identity.accountId, region: region.region };
}

/**
 * The lake bucket a module works on, passed in by the caller (usually the
 * `storage` module's outputs). Encryption is chosen when the module is
 * emitted: with `storage.kmsKeyArn` in the config the module takes the key ARN
 * as an input and grants KMS use; without it the lake is SSE-S3 and the module
 * has no key input.
 */
export function existingLakeInputs(stack: TerraformStack, context: ModuleContext): ExistingLakeBucket {
  const bucketName = moduleInput(stack, "bucket_name", {
    type: "string",
    description: "Name of the lake bucket (the storage module's `bucket_name` output)",
  });
  return new ExistingLakeBucket({
    bucketName: bucketName.stringValue,
    kmsKeyArn: context.config.storage.kmsKeyArn ? kmsKeyInput(stack).stringValue : undefined,
  });
}

/** The KMS key input of modules emitted from a config that uses SSE-KMS. */
export function kmsKeyInput(stack: TerraformStack): TerraformVariable {
  return moduleInput(stack, "kms_key_arn", {
    type: "string",
    description: "ARN of the customer managed KMS key the lake bucket encrypts with (SSE-KMS)",
    validation: [{ condition: '${can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))}', errorMessage: "kms_key_arn must be a KMS key ARN." }],
  });
}

/** The `database_name` input: the Glue database of the curated tables, under Glue's naming rule. */
export function databaseNameInput(stack: TerraformStack, description: string): TerraformVariable {
  return moduleInput(stack, "database_name", {
    type: "string",
    description,
    validation: [
      {
        condition: '${can(regex("^[a-z0-9_]{1,255}$", var.database_name))}',
        errorMessage: "database_name must be lower case letters, digits and underscores.",
      },
    ],
  });
}

/**
 * Validation shared by every input that names resources (`<prefix>-<env>`, e.g. `shoplake-dev`):
 * the config schema's rules for `project.prefix` and the environment name, from the same patterns.
 */
export function namePrefixValidation(variable: string) {
  const pattern = `^${PROJECT_PREFIX_PATTERN}-${ENVIRONMENT_NAME_PATTERN}$`;
  return [
    {
      condition: `\${can(regex("${pattern}", var.${variable})) && !strcontains(var.${variable}, "--")}`,
      errorMessage: `${variable} must be <prefix>-<environment>: a prefix of 3-22 characters of a-z, 0-9 and - (letter or digit at both ends, no "--"), then an environment name of 1-10 lower-case letters or digits, letter first.`,
    },
  ];
}
