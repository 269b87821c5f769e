import { Lazy } from "cdktf";
import { systemPrefixProblem, ZONES } from "../config/naming";
import { awsPartition, awsRegion } from "../iam/aws-context";
import type { IGrantable } from "../iam/grantable";
import { sidPart, type PolicyStatement } from "../iam/policy";

/**
 * What the other modules need from the lake: its name and ARN, its KMS key,
 * and prefix-scoped grants. {@link LakeStorage} is one (the bucket created
 * here); {@link ExistingLakeBucket} is one created elsewhere (another stack, or
 * the emitted `storage` Terraform module), so catalog, analytics and ETL can be
 * built against a bucket they do not own.
 */
export interface LakeBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Customer managed key of SSE-KMS; undefined for SSE-S3. */
  readonly kmsKeyArn?: string;
  /**
   * Lets the grantee list and read objects under the given zone prefixes (e.g.
   * `curated/orders/`), plus `kms:Decrypt` with SSE-KMS.
   * @param sid statement id in the grantee's policy. @default - from the verb and the first prefix, e.g. `ReadCuratedOrders`
   */
  grantRead(grantee: IGrantable, prefixes: readonly string[], sid?: string): void;
  /** Lets the grantee create or overwrite objects (multipart uploads included) under the prefixes. */
  grantWrite(grantee: IGrantable, prefixes: readonly string[], sid?: string): void;
  /** Lets the grantee put single objects under the prefixes, nothing else: for writers that never upload in parts. */
  grantPut(grantee: IGrantable, prefixes: readonly string[], sid?: string): void;
  /** Lets the grantee delete objects under the prefixes; only data owners should get this. */
  grantDelete(grantee: IGrantable, prefixes: readonly string[], sid?: string): void;
}

export interface ExistingLakeBucketProps {
  readonly bucketName: string;
  /** @default - `arn:<partition>:s3:::<bucketName>`, the partition of the stack it is used in */
  readonly bucketArn?: string;
  /** The key the bucket encrypts with, when it uses SSE-KMS. @default - SSE-S3, no KMS grants */
  readonly kmsKeyArn?: string;
}

/** A lake bucket created outside this construct tree; grants are scoped exactly as {@link LakeStorage}'s. */
export class ExistingLakeBucket implements LakeBucket {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn?: string;

  constructor(props: ExistingLakeBucketProps) {
    this.bucketName = props.bucketName;
    // Resolved where it is used, so a grant in a GovCloud or China stack gets that partition's ARN.
    this.bucketArn =
      props.bucketArn ?? Lazy.stringValue({ produce: (context) => `arn:${awsPartition(context.scope)}:s3:::${props.bucketName}` });
    this.kmsKeyArn = props.kmsKeyArn;
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

type BucketKeys = Pick<LakeBucket, "bucketArn" | "kmsKeyArn">;

/** What one kind of grant builds: the bucket, the grantee (whose stack gives the region), a Sid and the prefixes. */
type StatementBuilder = (bucket: BucketKeys, grantee: IGrantable, sid: string, prefixes: readonly string[]) => PolicyStatement[];

/**
 * List and read under zone prefixes, plus `kms:Decrypt` when the bucket uses SSE-KMS.
 *
 * Read also covers each prefix's folder key itself (`raw/customers`, no
 * slash). S3 has no folders: a file system that asks whether `raw/customers/`
 * exists (Hadoop's S3A, Glue's own S3 file system, Spark before every read and
 * write of a folder) sends a HEAD for that exact key first, and S3 answers a
 * HEAD the caller may not GetObject with 403, which fails the job. The key holds
 * no data; granting it adds nothing else.
 */
const readStatements: StatementBuilder = (bucket, grantee, sid, prefixes) => {
  return [
    {
      Sid: `${sid}List`,
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [bucket.bucketArn],
      // StringLike's `*` matches nothing too, so `raw/orders/*` also allows listing `raw/orders/` itself.
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [...objectArns(bucket, prefixes), ...prefixes.map((p) => `${bucket.bucketArn}/${p.replace(/\/$/, "")}`)],
    },
    ...kmsStatements(bucket, grantee, `${sid}Kms`, ["kms:Decrypt"]),
  ];
};

/** Put (and abort multipart uploads) under zone prefixes, plus the KMS data-key actions when needed. */
const writeStatements: StatementBuilder = (bucket, grantee, sid, prefixes) => [
  { Sid: sid, Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: objectArns(bucket, prefixes) },
  ...kmsStatements(bucket, grantee, `${sid}Kms`, ["kms:Decrypt", "kms:GenerateDataKey"]),
];

/** Put only (no multipart upload actions) under zone prefixes, plus the KMS data-key actions when needed. */
const putStatements: StatementBuilder = (bucket, grantee, sid, prefixes) =>
  writeStatements(bucket, grantee, sid, prefixes).map((s) => (s.Sid === sid ? { ...s, Action: ["s3:PutObject"] } : s));

/** Delete under zone prefixes. */
const deleteStatements: StatementBuilder = (bucket, _grantee, sid, prefixes) => [
  { Sid: sid, Effect: "Allow", Action: ["s3:DeleteObject"], Resource: objectArns(bucket, prefixes) },
];

function objectArns(bucket: BucketKeys, prefixes: readonly string[]): string[] {
  prefixes.forEach(assertZonePrefix);
  return prefixes.map((prefix) => `${bucket.bucketArn}/${prefix}*`);
}

/**
 * The bucket's key, for the grantee's S3 requests only: `kms:ViaService` bounds
 * the key's use to S3 in the stack's region, so the same credentials cannot
 * decrypt with the key directly.
 */
function kmsStatements(bucket: BucketKeys, grantee: IGrantable, sid: string, actions: string[]): PolicyStatement[] {
  if (!bucket.kmsKeyArn) return [];
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: actions,
      Resource: [bucket.kmsKeyArn],
      Condition: { StringEquals: { "kms:ViaService": `s3.${awsRegion(grantee)}.amazonaws.com` } },
    },
  ];
}

const STATEMENTS: Readonly<Record<"Read" | "Write" | "Put" | "Delete", StatementBuilder>> = {
  Read: readStatements,
  Write: writeStatements,
  Put: putStatements,
  Delete: deleteStatements,
};

/** Adds one kind of prefix-scoped grant on `bucket` to the grantee's policy: what every {@link LakeBucket} grant method does. */
export function grantOn(bucket: BucketKeys, verb: keyof typeof STATEMENTS, grantee: IGrantable, prefixes: readonly string[], sid?: string): void {
  // A grant of no prefixes grants nothing (a job with no dataset of a kind); IAM would refuse its empty lists.
  if (prefixes.length === 0) return;
  grantee.addToPolicy(...STATEMENTS[verb](bucket, grantee, sid ?? defaultSid(verb, prefixes), prefixes));
}

/** `Read` + `["curated/orders/"]` -> `ReadCuratedOrders`; more prefixes add `And<n>More`. */
function defaultSid(verb: string, prefixes: readonly string[]): string {
  return `${verb}${sidPart(prefixes[0] ?? "")}${prefixes.length > 1 ? `And${prefixes.length - 1}More` : ""}`;
}

/** A grant must be scoped below a zone, never the whole bucket. */
function assertZonePrefix(prefix: string): void {
  const zones = Object.values(ZONES) as string[];
  if (!prefix.endsWith("/") || !(zones.some((zone) => prefix.startsWith(zone)) || isNamespacedSystemKey(prefix))) {
    throw new Error(`grant prefix "${prefix}" must be a zone (${zones.join(", ")}) or a folder below one, ending in "/" (system zones may follow a system prefix)`);
  }
}

/** `teams/shop/_system/tmp/batch/`: a system zone below a valid system prefix (`storage.systemPrefix`). */
function isNamespacedSystemKey(prefix: string): boolean {
  return [ZONES.system, ZONES.qualityReports].some((zone) => {
    const at = prefix.indexOf(`/${zone}`);
    return at > 0 && systemPrefixProblem(prefix.slice(0, at + 1)) === undefined;
  });
}
