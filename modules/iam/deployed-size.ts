import type { IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";

/**
 * IAM's quotas on what one role may carry, in characters as IAM counts them:
 * the policy as submitted, whitespace excluded, every reference already
 * resolved (IAM never sees `${...}`). Default quotas; 20 managed policies per
 * role is a quota increase this library does not assume.
 */
export const IAM_QUOTAS = {
  /** All inline policies of one role together. */
  inlinePoliciesPerRole: 10_240,
  /** One customer managed policy. */
  managedPolicy: 6_144,
  /** Managed policies attached to one role. */
  managedPoliciesPerRole: 10,
  /** A role's trust policy. */
  trustPolicy: 2_048,
  /** A role's description (not a policy; a longer one is cut by `ServiceRole`). */
  roleDescription: 1_000,
} as const;

/** Longest bucket name S3 allows. */
const LONGEST_BUCKET_NAME = "b".repeat(63);
/** Longest partition name (`aws-us-gov`; `aws-cn` and `aws` are shorter). */
const LONGEST_PARTITION = "aws-us-gov";
/** Longest region code in service today (`ap-southeast-5`, `ap-northeast-3`: 14 characters). */
const LONGEST_REGION = "ap-southeast-5";
const ACCOUNT_ID = "123456789012";
/** A KMS key ARN at its longest: the longest partition and region, a key id (a UUID). */
const LONGEST_KMS_KEY_ARN = `arn:${LONGEST_PARTITION}:kms:${LONGEST_REGION}:${ACCOUNT_ID}:key/12345678-1234-1234-1234-123456789012`;
/**
 * What a reference this table does not know is counted as: longer than any
 * ARN this library builds, so an unknown reference errs towards refusing at
 * synth rather than at deploy.
 */
export const UNKNOWN_REFERENCE_LENGTH = 256;

/**
 * The longest value each kind of Terraform reference can resolve to, by the
 * expression inside `${...}`. The lake's own names are literals in the
 * policies (prefix, environment, datasets), so they count as they are; only
 * what Terraform fills in at apply is estimated here.
 */
const LONGEST_VALUES: readonly (readonly [RegExp, string])[] = [
  [/^data\.aws_partition\.[\w-]+\.partition$/, LONGEST_PARTITION],
  [/^data\.aws_caller_identity\.[\w-]+\.account_id$/, ACCOUNT_ID],
  [/^data\.aws_region\.[\w-]+\.(region|name)$/, LONGEST_REGION],
  [/^aws_s3_bucket\.[\w-]+\.(bucket|id)$/, LONGEST_BUCKET_NAME],
  [/^aws_s3_bucket\.[\w-]+\.arn$/, `arn:${LONGEST_PARTITION}:s3:::${LONGEST_BUCKET_NAME}`],
  // Inputs of the emitted Terraform modules (modules/<area>/terraform-module.ts).
  [/^var\.(bucket_name|lake_bucket_name)$/, LONGEST_BUCKET_NAME],
  [/^var\.kms_key_arn$/, LONGEST_KMS_KEY_ARN],
  [/^var\.account_id$/, ACCOUNT_ID],
  [/^var\.region$/, LONGEST_REGION],
];

const REFERENCE = /\$\{([^}]*)\}/g;

/** The longest value a Terraform expression can resolve to, or undefined when the table does not know it. */
function longestValue(expression: string): string | undefined {
  return LONGEST_VALUES.find(([pattern]) => pattern.test(expression.trim()))?.[1];
}

/**
 * The length of `text` as IAM will count it once deployed: cdktf tokens
 * resolved to Terraform references in `scope`'s stack, each reference replaced
 * by the longest value it can take ({@link longestValue}, else
 * {@link UNKNOWN_REFERENCE_LENGTH}), whitespace left out as IAM leaves it out.
 */
export function deployedLength(scope: IConstruct, text: string): number {
  const resolved = Tokenization.resolve(text, {
    scope,
    resolver: new DefaultTokenResolver(new StringConcat()),
    preparing: false,
  }) as string;
  return resolvedLength(resolved);
}

/** {@link deployedLength} of a string whose references are already plain `${...}` expressions (a synthesized `cdk.tf.json`). */
export function resolvedLength(text: string): number {
  let length = text.replace(/\s+/g, "").length;
  for (const match of text.matchAll(REFERENCE)) {
    const value = longestValue(match[1]);
    length += (value?.length ?? UNKNOWN_REFERENCE_LENGTH) - match[0].replace(/\s+/g, "").length;
  }
  return length;
}
