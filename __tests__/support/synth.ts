import { Testing } from "cdktf";
import defaultConfig from "../../lakehouse.config";
import { resolveConfig, type LakehouseConfig, type LakehouseConfigInput } from "../../modules/config";
import { LakehouseStack } from "../../modules/lakehouse-stack";
import { lakehouseArtifacts } from "../../scripts/build/artifacts";

/** The default config, validated, optionally with changes applied to a deep copy. */
export function testConfig(change?: (config: LakehouseConfigInput) => void): LakehouseConfig {
  const copy = structuredClone(defaultConfig) as LakehouseConfigInput;
  change?.(copy);
  return resolveConfig(copy);
}

/** A synthesized stack as a JSON string (for the cdktf matchers) and parsed. */
export function synthStack(config: LakehouseConfig = testConfig(), environment = "dev") {
  const app = Testing.app();
  const stack = new LakehouseStack(app, `lakehouse-${environment}`, { config, environment, artifacts: lakehouseArtifacts(config) });
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) as SynthesizedStack };
}

export interface SynthesizedStack {
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown }>;
  terraform: Record<string, any>;
  provider?: Record<string, any>;
}

/** Every resource of one type, by logical name. */
export function resourcesOfType(stack: SynthesizedStack, type: string): Record<string, any>[] {
  return Object.values(stack.resource[type] ?? {});
}

/** The one resource of a type; fails when there is not exactly one. */
export function onlyResource(stack: SynthesizedStack, type: string): Record<string, any> {
  const found = resourcesOfType(stack, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** The stack's partition as a synthesized ARN holds it (`data.aws_partition`, one per stack). */
export const PARTITION = "${data.aws_partition.aws-partition.partition}";
/** The lake bucket's ARN at the start of a synthesized resource: `arn:<partition>:s3:::<bucket name>`. */
export const LAKE_BUCKET_ARN = /^arn:\$\{data\.aws_partition\.aws-partition\.partition\}:s3:::[^/]*/;
