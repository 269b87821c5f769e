/**
 * What `terraform apply` would leave in an account, on a moto server: the lake
 * bucket, and every synthesized role with exactly its trust policy and inline
 * policies. Then each role is assumed, as Glue or Lambda assume it when they
 * start a run, and IAM enforcement is switched on: from then on each component
 * works with its own role's temporary credentials only.
 *
 *   tsx scripts/local/aws/lake-account.ts --endpoint URL [--config FILE] [--env NAME]
 *
 * provisions the account of a config on a running server and prints the
 * {@link LocalAccount} as JSON (the pytest suite uses this, so there is one
 * owner of what an applied stack holds).
 */
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { loadConfigFile } from "../../cli/load-config";
import { enforceIamOn, UNAUTHENTICATED, type AwsCredentials } from "./moto";
import { synthesizeEstate } from "./synth-estate";
import type { SynthesizedEstate, SynthesizedRole } from "./synthesized-roles";

/** Who the operator is: the person running the lake, who drops raw files and reads results. Never a synthesized role. */
export const OPERATOR_USER = "lake-operator";

export interface LocalAccount {
  readonly endpoint: string;
  readonly estate: SynthesizedEstate;
  /** Keys of the operator, allowed everything (the local stand-in for the person at the console). */
  readonly operator: AwsCredentials;
  /** Temporary credentials of each role, by what runs under it (job, function or crawler name). */
  readonly roles: Readonly<Record<string, AwsCredentials>>;
}

/** Any client of the SDK, pointed at the server. */
const clientConfig = (endpoint: string, region: string, credentials: AwsCredentials) => ({ endpoint, region, credentials, maxAttempts: 1 });

/**
 * Creates the estate's bucket and roles on a moto server whose IAM is not enforced yet,
 * assumes every role, and enforces IAM. Call it once per server.
 */
export async function provisionLocalAccount(endpoint: string, estate: SynthesizedEstate, enforceIam: () => Promise<void>): Promise<LocalAccount> {
  const config = clientConfig(endpoint, estate.region, UNAUTHENTICATED);
  const iam = new IAMClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sts = new STSClient(config);

  await iam.send(new CreateUserCommand({ UserName: OPERATOR_USER }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: OPERATOR_USER,
      PolicyName: "operator",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    }),
  );
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: OPERATOR_USER }))).AccessKey!;

  const location = estate.region === "us-east-1" ? undefined : { LocationConstraint: estate.region as BucketLocationConstraint };
  // Versioning, as synthesized, is left off here: moto 5.2 lists a deleted key's folder as a
  // common prefix while its delete marker is current, which S3 never does, and Spark's committer
  // then fails on a folder that is not there. The jobs never read old versions.
  await s3.send(new CreateBucketCommand({ Bucket: estate.bucketName, CreateBucketConfiguration: location }));

  const roles: Record<string, AwsCredentials> = {};
  const all: [string, SynthesizedRole][] = [...Object.entries(estate.glueJobs), ...Object.entries(estate.functions), ...Object.entries(estate.crawlers)];
  for (const [name, role] of all.sort(([a], [b]) => a.localeCompare(b))) {
    await iam.send(new CreateRoleCommand({ RoleName: role.roleName, AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy) }));
    for (const policy of role.policies) {
      await iam.send(new PutRolePolicyCommand({ RoleName: role.roleName, PolicyName: policy.name, PolicyDocument: JSON.stringify(policy.document) }));
    }
    for (const policy of role.managedPolicies) {
      const created = await iam.send(new CreatePolicyCommand({ PolicyName: policy.name, PolicyDocument: JSON.stringify(policy.document) }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.roleName, PolicyArn: created.Policy!.Arn! }));
    }
    // One hour: the most a role allows unless its MaxSessionDuration says more (the synthesized ones keep the default).
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.roleArn, RoleSessionName: name, DurationSeconds: 3600 }));
    const c = assumed.Credentials!;
    roles[name] = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }
  await enforceIam();
  return { endpoint, estate, operator: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, roles };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const endpoint = option("endpoint");
  if (!endpoint) throw new Error("--endpoint URL of a running moto server is required");
  const config = loadConfigFile(option("config"));
  const estate = synthesizeEstate(config, option("env") ?? config.environments[0].name);
  provisionLocalAccount(endpoint, estate, () => enforceIamOn(endpoint))
    .then((account) => process.stdout.write(`${JSON.stringify(account, null, 2)}\n`))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
