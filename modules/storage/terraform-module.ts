import type { TerraformModuleDefinition } from "../terraform-module";
import { kmsKeyInput, moduleInput, moduleOutput } from "../terraform-module";
import { LakeStorage } from "./lake-storage";
import { LAKE_STORAGE_DEFAULTS } from "./defaults";

/** `dist/modules/storage`: the lake bucket with its zones, encryption, public access block, TLS-only policy and lifecycle. */
export const storageModule: TerraformModuleDefinition = {
  name: "storage",
  description:
    "The lake bucket, secure by default: SSE (S3, or KMS when the config names a key), all public access blocked, " +
    "ACLs disabled, a TLS-only bucket policy, versioning with expiry of old versions, and lifecycle rules for the " +
    "scratch zones (`athena-results/`, `quarantine/`, incomplete uploads).",
  usage: { bucket_name: '"acme-lake-123456789012"' },
  build(stack, { config }) {
    const days = (name: string, description: string, value: number, max: number) =>
      moduleInput(stack, name, {
        type: "number",
        description,
        default: value,
        validation: [
          {
            condition: `\${var.${name} >= 1 && var.${name} <= ${max} && floor(var.${name}) == var.${name}}`,
            errorMessage: `${name} must be a whole number of days between 1 and ${max}.`,
          },
        ],
      }).numberValue;

    const bucketName = moduleInput(stack, "bucket_name", {
      type: "string",
      description: "Globally unique name of the lake bucket",
      validation: [
        {
          condition: '${can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))}',
          errorMessage: "bucket_name must be 3-63 characters of a-z, 0-9, dots and hyphens, starting and ending with a letter or digit.",
        },
      ],
    });
    const storage = new LakeStorage(stack, "lake", {
      bucketName: bucketName.stringValue,
      kmsKeyArn: config.storage.kmsKeyArn ? kmsKeyInput(stack).stringValue : undefined,
      quarantineExpirationDays: days("quarantine_expiration_days", "Days before objects under quarantine/ expire", config.storage.quarantineExpirationDays, 3650),
      athenaResultsExpirationDays: days("athena_results_expiration_days", "Days before objects under athena-results/ expire", config.storage.athenaResultsExpirationDays, 3650),
      abortIncompleteUploadDays: days("abort_incomplete_upload_days", "Days before incomplete multipart uploads are aborted", config.storage.abortIncompleteUploadDays, 365),
      noncurrentVersionExpirationDays: days("noncurrent_version_expiration_days", "Days a replaced or deleted object version is kept", LAKE_STORAGE_DEFAULTS.noncurrentVersionExpirationDays, 3650),
    });

    moduleOutput(stack, "bucket_name", storage.bucketName, "Name of the lake bucket");
    moduleOutput(stack, "bucket_arn", storage.bucketArn, "ARN of the lake bucket");
  },
};
