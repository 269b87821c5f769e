import type { BlockDiff } from "./stack-diff";
import type { Change } from "./values";

/**
 * Which heading a change goes under in the review comment. Security first:
 * anything that changes who may do what, how data is encrypted, or what is
 * exposed. Then scripts and assets (code that runs). Then the rest.
 */
export type Category = "security" | "asset" | "other";

/** Resources whose every change is security-relevant: they grant access, or protect data. */
export const GRANT_TYPES = new Set([
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_policy",
  "aws_iam_policy_attachment",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_lambda_permission",
  "aws_lambda_function_url",
  "aws_glue_resource_policy",
  "aws_kms_grant",
  "aws_s3_bucket_acl",
]);
export const PROTECTION_TYPES = new Set([
  "aws_s3_bucket_policy",
  "aws_s3_bucket_public_access_block",
  "aws_s3_account_public_access_block",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_ownership_controls",
  "aws_glue_security_configuration",
  "aws_glue_data_catalog_encryption_settings",
  "aws_kms_key",
  "aws_kms_alias",
]);

/**
 * Attribute names that are security settings on any resource: encryption and
 * keys, Athena's enforced workgroup settings, a job's security configuration,
 * public access flags, embedded policies.
 */
const SECURITY_SEGMENT =
  /^(policy|assume_role_policy|inline_policy|managed_policy_arns|permissions_boundary|principal|security_configuration|enforce_workgroup_configuration|acl|block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets|bucket_key_enabled|.*encrypt.*|kms_.*|.*_kms_.*|sse_.*|.*_sse_.*)$/i;

/** `configuration.result_configuration[0].encryption_configuration` names a security setting. */
function isSecurityPath(path: string): boolean {
  return path
    .split(/[.\s→]+/)
    .map((segment) => segment.replace(/\[.*$/, ""))
    .some((segment) => SECURITY_SEGMENT.test(segment));
}

/** Attributes that carry code or files: script objects, Lambda packages. */
const ASSET_PATH = /(^|\.)(content|content_base64|source|source_hash|source_code_hash|filename|etag|s3_key|s3_object_version|image_uri)$|content-sha256/;
const ASSET_TYPES = new Set(["aws_s3_object", "aws_lambda_function", "aws_lambda_layer_version"]);

/** Protection flags that must stay on: turning one off weakens security. */
const PROTECTION_FLAGS = /(block_public_acls|block_public_policy|ignore_public_acls|restrict_public_buckets|enforce_workgroup_configuration|bucket_key_enabled)$/;

/** Attributes that document a resource without changing what it allows. */
const COSMETIC_PATH = /^(description|tags|tags_all)(\.|$)/;

export function categorize(block: BlockDiff, change?: Change): Category {
  const securityType = GRANT_TYPES.has(block.type) || PROTECTION_TYPES.has(block.type);
  if (securityType && !(change && COSMETIC_PATH.test(change.path))) return "security";
  if (!change) return block.type === "aws_s3_object" ? "asset" : "other";
  if (change.kind === "statement" || isSecurityPath(change.path)) return "security";
  if (ASSET_TYPES.has(block.type) && ASSET_PATH.test(change.path)) return "asset";
  return "other";
}

/**
 * Whether a security-relevant item lets someone do more than before: a
 * widened IAM statement, a new grant, a removed protection, a protection flag
 * turned off. These lead the security list.
 */
export function isWidening(block: BlockDiff, change?: Change): boolean {
  if (!change) {
    if (block.status === "added") return GRANT_TYPES.has(block.type);
    if (block.status === "removed") return PROTECTION_TYPES.has(block.type);
    return false;
  }
  if (change.kind === "statement") return change.widens.length > 0;
  if (change.kind === "value") return PROTECTION_FLAGS.test(change.path) && change.before === true && change.after !== true;
  return false;
}
