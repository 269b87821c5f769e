import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ZONES } from "../config/naming";
import { awsPartition } from "../iam/aws-context";
import type { IGrantable } from "../iam/grantable";
import { policyDocument } from "../iam/policy";
import { grantOn, type LakeBucket } from "./lake-bucket";
import { LAKE_STORAGE_DEFAULTS } from "./defaults";

export interface LakeStorageProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Customer managed KMS key for SSE-KMS. @default - SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  /** Days before objects under `quarantine/` expire. @default 30 */
  readonly quarantineExpirationDays?: number;
  /** Days before objects under `athena-results/` expire. @default 7 */
  readonly athenaResultsExpirationDays?: number;
  /** Days before incomplete multipart uploads are aborted. @default 1 */
  readonly abortIncompleteUploadDays?: number;
  /** Days a replaced or deleted object version is kept, to undo a bad job run. @default 7 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Let `terraform destroy` delete a non-empty bucket. @default false - data survives a destroy */
  readonly forceDestroy?: boolean;
}

/**
 * The one lake bucket and its zones, secure by default: encryption at rest,
 * all public access blocked, ACLs disabled (bucket owner enforced), TLS-only
 * access, versioning with expiry of old versions, and lifecycle rules that
 * keep the scratch zones cheap.
 *
 * Consumers do not build policies from the bucket ARN: they grant a role
 * prefix-scoped access with {@link grantRead}, {@link grantWrite},
 * {@link grantPut} and {@link grantDelete}.
 */
export class LakeStorage extends Construct implements LakeBucket {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    this.kmsKeyArn = props.kmsKeyArn;

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
    });
    this.bucketName = this.bucket.bucket;
    // Built from the name rather than read from the bucket: the policies then hold the name itself,
    // which IAM's size quotas count as it is, and the partition of the stack (GovCloud, China).
    this.bucketArn = `arn:${awsPartition(this)}:s3:::${props.bucketName}`;

    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          // An S3 bucket key cuts KMS request costs by ~99%; it has no effect on SSE-S3.
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });

    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteUploadDays ?? LAKE_STORAGE_DEFAULTS.abortIncompleteUploadDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? LAKE_STORAGE_DEFAULTS.noncurrentVersionExpirationDays }],
        },
        {
          id: "expire-athena-results",
          status: "Enabled",
          filter: [{ prefix: ZONES.athenaResults }],
          expiration: [{ days: props.athenaResultsExpirationDays ?? LAKE_STORAGE_DEFAULTS.athenaResultsExpirationDays }],
        },
        {
          id: "expire-quarantine",
          status: "Enabled",
          filter: [{ prefix: ZONES.quarantine }],
          expiration: [{ days: props.quarantineExpirationDays ?? LAKE_STORAGE_DEFAULTS.quarantineExpirationDays }],
        },
      ],
    });

    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: ["s3:*"],
          Resource: [this.bucketArn, `${this.bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
  }

  grantRead(grantee: IGrantable, prefixes: readonly string[], sid?: string): void {
    grantOn(this, "Read", grantee, prefixes, sid);
  }

  grantWrite(grantee: IGrantable, prefixes: readonly string[], sid?: string): void {
    grantOn(this, "Write", grantee, prefixes, sid);
  }

  grantPut(grantee: IGrantable, prefixes: readonly string[], sid?: string): void {
    grantOn(this, "Put", grantee, prefixes, sid);
  }

  grantDelete(grantee: IGrantable, prefixes: readonly string[], sid?: string): void {
    grantOn(this, "Delete", grantee, prefixes, sid);
  }
}
