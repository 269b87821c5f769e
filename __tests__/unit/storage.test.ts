import { DefaultTokenResolver, StringConcat, Testing, TerraformStack, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { ExistingLakeBucket, LakeStorage } from "../../modules/storage";
import type { IGrantable } from "../../modules/iam/grantable";
import type { PolicyStatement } from "../../modules/iam/policy";
import { onlyResource, synthStack, testConfig } from "../support/synth";

describe("lake storage defaults", () => {
  const { json, parsed } = synthStack();

  test("blocks every kind of public access", () => {
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs by enforcing bucket-owner ownership", () => {
    expect(json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("encrypts at rest with SSE-S3 when no KMS key is configured", () => {
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false }],
    });
  });

  test("the bucket policy denies every request that does not use TLS", () => {
    const policy = JSON.parse(onlyResource(parsed, "aws_s3_bucket_policy").policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    ]);
    expect(policy.Statement[0].Resource).toHaveLength(2);
  });

  test("lifecycle expires athena results and quarantine and aborts incomplete uploads", () => {
    const rules = onlyResource(parsed, "aws_s3_bucket_lifecycle_configuration").rule;
    const byId = Object.fromEntries(rules.map((rule: any) => [rule.id, rule]));
    expect(byId["expire-athena-results"]).toMatchObject({ filter: [{ prefix: "athena-results/" }], expiration: [{ days: 7 }] });
    expect(byId["expire-quarantine"]).toMatchObject({ filter: [{ prefix: "quarantine/" }], expiration: [{ days: 30 }] });
    expect(byId["abort-incomplete-multipart-uploads"]).toMatchObject({
      abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
    });
  });

  test("quarantine expiry follows the config", () => {
    const { parsed: custom } = synthStack(testConfig((c) => (c.storage = { quarantineExpirationDays: 90 })));
    const rules = onlyResource(custom, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rules.find((r: any) => r.id === "expire-quarantine").expiration).toEqual([{ days: 90 }]);
  });

  test("versioning is on, so a bad job run can be undone", () => {
    expect(onlyResource(parsed, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("a destroy does not delete a bucket that still holds data", () => {
    expect(onlyResource(parsed, "aws_s3_bucket").force_destroy).toBe(false);
  });
});

describe("lake storage with a KMS key", () => {
  const kmsKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/abcd";
  const { json } = synthStack(testConfig((c) => (c.storage = { kmsKeyArn })));

  test("encrypts with SSE-KMS and a bucket key", () => {
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: kmsKeyArn },
          bucket_key_enabled: true,
        },
      ],
    });
  });
});

const grantStack = new TerraformStack(Testing.app(), "grants");
let grantees = 0;

/** A grantee that only records what it is granted, with its references resolved as Terraform will see them. */
class RecordingGrantee extends Construct implements IGrantable {
  readonly roleArn = "arn:aws:iam::123456789012:role/test";
  private readonly granted: PolicyStatement[] = [];

  get statements(): PolicyStatement[] {
    return this.granted.map((s) => Tokenization.resolve(s, { scope: this, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false }));
  }

  addToPolicy(...added: PolicyStatement[]): void {
    this.granted.push(...added);
  }
}

function recordingGrantee(): RecordingGrantee {
  return new RecordingGrantee(grantStack, `grantee-${grantees++}`);
}

const PARTITION = "${data.aws_partition.aws-partition.partition}";

describe("lake storage grants", () => {
  const storage = new LakeStorage(grantStack, "storage", { bucketName: "b" });

  test("read grants list and get only under the requested prefixes", () => {
    const grantee = recordingGrantee();
    storage.grantRead(grantee, ["raw/orders/"], "ReadRaw");
    const [list, get] = grantee.statements;
    expect(list).toMatchObject({ Sid: "ReadRawList", Action: ["s3:ListBucket"], Condition: { StringLike: { "s3:prefix": ["raw/orders/*"] } } });
    expect(get.Action).toEqual(["s3:GetObject"]);
    expect(get.Resource).toEqual([expect.stringMatching(/\/raw\/orders\/\*$/), expect.stringMatching(/\/raw\/orders$/)]);
  });

  test("read grants cover the folder key itself, so a file system's folder check is not refused", () => {
    const grantee = recordingGrantee();
    new ExistingLakeBucket({ bucketName: "b" }).grantRead(grantee, ["raw/orders/", "curated/orders/"]);
    const get = grantee.statements[1];
    const bucket = `arn:${PARTITION}:s3:::b`;
    expect(get.Resource).toEqual([`${bucket}/raw/orders/*`, `${bucket}/curated/orders/*`, `${bucket}/raw/orders`, `${bucket}/curated/orders`]);
  });

  test("write grants put objects only under the requested prefixes", () => {
    const grantee = recordingGrantee();
    storage.grantWrite(grantee, ["curated/"], "WriteCurated");
    const [put] = grantee.statements;
    expect(put.Action).toEqual(["s3:PutObject", "s3:AbortMultipartUpload"]);
    expect(put.Resource).toEqual([expect.stringMatching(/\/curated\/\*$/)]);
  });

  test("put grants allow single puts only, no multipart upload actions", () => {
    const grantee = recordingGrantee();
    storage.grantPut(grantee, ["raw/orders_incremental/"]);
    expect(grantee.statements).toEqual([{ Sid: "PutRawOrdersIncremental", Effect: "Allow", Action: ["s3:PutObject"], Resource: [expect.stringMatching(/\/raw\/orders_incremental\/\*$/)] }]);
  });

  test("a grant without a sid is named for its verb and first prefix", () => {
    const grantee = recordingGrantee();
    storage.grantDelete(grantee, ["curated/orders/", "curated/dim_customers/"]);
    expect(grantee.statements.map((s) => s.Sid)).toEqual(["DeleteCuratedOrdersAnd1More"]);
  });

  test("with a KMS key, grants add only the key actions they need", () => {
    const kms = new ExistingLakeBucket({ bucketName: "b", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k" });
    const reader = recordingGrantee();
    kms.grantRead(reader, ["curated/"], "Read");
    expect(reader.statements.at(-1)).toEqual({
      Sid: "ReadKms",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: ["arn:aws:kms:eu-west-1:123456789012:key/k"],
      // The key only through S3, in the stack's region.
      Condition: { StringEquals: { "kms:ViaService": "s3.${data.aws_region.aws-region.region}.amazonaws.com" } },
    });
  });

  test("a grant outside the zones is refused", () => {
    expect(() => storage.grantRead(recordingGrantee(), [""])).toThrow(/must be a zone/);
    expect(() => storage.grantWrite(recordingGrantee(), ["other/"])).toThrow(/must be a zone/);
  });
});
