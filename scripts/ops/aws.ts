/**
 * AWS clients for the ops commands, and errors that say what was being done
 * and what to try. Clients use the SDK's own configuration chain:
 * credentials from the environment, `AWS_PROFILE`, SSO or instance roles, and
 * endpoints from `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_GLUE` /
 * `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL_CLOUDWATCH` (how the tests point
 * them at a moto server).
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";

/** The part of a Glue client the ops code uses (a real client, or a fake in tests). */
export type GlueApi = Pick<GlueClient, "send">;
export type S3Api = Pick<S3Client, "send">;
export type CloudWatchApi = Pick<CloudWatchClient, "send">;

export interface OpsClients {
  readonly glue: GlueApi;
  readonly s3: S3Api;
  readonly cloudwatch: CloudWatchApi;
}

/** Real clients for a region. S3 uses path-style addressing when a custom endpoint is set (moto, LocalStack). */
export function awsClients(region: string, env: NodeJS.ProcessEnv = process.env): OpsClients {
  const customS3Endpoint = Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
  return {
    glue: new GlueClient({ region }),
    s3: new S3Client({ region, forcePathStyle: customS3Endpoint }),
    cloudwatch: new CloudWatchClient({ region }),
  };
}

/** A failure the CLI reports as one clear message and a non-zero exit code. */
export class OpsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OpsError";
  }
}

/** What the caller was doing, for the message: "starting Glue job shoplake-dev-batch". */
export interface AwsCallContext {
  readonly doing: string;
  readonly region: string;
  /** Said when the entity is missing, e.g. `job "x" not found in region y: deploy first or pass --job-name`. */
  readonly notFound?: string;
}

/** Turns an SDK error into an {@link OpsError} that names the action and suggests a fix. */
export function explainAwsError(error: unknown, context: AwsCallContext): OpsError {
  if (error instanceof OpsError) return error;
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  const prefix = `${context.doing} failed`;
  let text: string;
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    text = `${prefix}: no AWS credentials found. Set AWS_PROFILE (after "aws sso login"), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and retry.`;
  } else if (["ExpiredTokenException", "ExpiredToken", "TokenRefreshRequired"].includes(name)) {
    text = `${prefix}: the AWS session has expired. Log in again (e.g. "aws sso login") and retry.`;
  } else if (["UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch"].includes(name)) {
    text = `${prefix}: AWS rejected the credentials (${name}). Check AWS_PROFILE or the access key, and that the clock is right.`;
  } else if (name === "AccessDeniedException" || name === "AccessDenied") {
    text = `${prefix}: access denied in ${context.region}. The caller needs permission for this call: ${message}`;
  } else if (name === "EntityNotFoundException" || name === "NoSuchBucket") {
    text = context.notFound ?? `${prefix}: not found in region ${context.region}: ${message}`;
  } else if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || name === "TimeoutError") {
    text = `${prefix}: could not reach the AWS endpoint (${code ?? name}). Check the network, the region (${context.region}) and AWS_ENDPOINT_URL if set.`;
  } else {
    text = `${prefix}: ${name}: ${message}`;
  }
  return new OpsError(text, { cause: error });
}

/** Runs one AWS call, converting its failure with {@link explainAwsError}. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainAwsError(error, context);
  }
}

export function errorName(error: unknown): string {
  if (error && typeof error === "object" && "name" in error) return String((error as { name: unknown }).name);
  return "Error";
}
