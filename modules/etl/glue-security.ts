import { Construct } from "constructs";
import { GlueSecurityConfiguration } from "@cdktf/provider-aws/lib/glue-security-configuration";

export interface GlueSecurityProps {
  /** Security configuration name. */
  readonly name: string;
  /**
   * KMS key for S3 output, CloudWatch logs and job bookmarks. @default - SSE-S3 for
   * S3 output; logs and bookmarks are not KMS-encrypted (CloudWatch Logs still
   * encrypts at rest) because a dedicated key costs $1/month, a fifth of the default budget
   */
  readonly kmsKeyArn?: string;
}

/** The Glue security configuration every job and crawler of the lake runs with. */
export class GlueSecurity extends Construct {
  readonly securityConfiguration: GlueSecurityConfiguration;
  readonly name: string;

  constructor(scope: Construct, id: string, props: GlueSecurityProps) {
    super(scope, id);
    const key = props.kmsKeyArn;
    this.securityConfiguration = new GlueSecurityConfiguration(this, "config", {
      name: props.name,
      encryptionConfiguration: {
        s3Encryption: key ? { s3EncryptionMode: "SSE-KMS", kmsKeyArn: key } : { s3EncryptionMode: "SSE-S3" },
        cloudwatchEncryption: key ? { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: key } : { cloudwatchEncryptionMode: "DISABLED" },
        jobBookmarksEncryption: key ? { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: key } : { jobBookmarksEncryptionMode: "DISABLED" },
      },
    });
    this.name = this.securityConfiguration.name;
  }
}
