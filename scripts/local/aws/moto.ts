/**
 * Starts and stops `moto_iam_server.py` (moto on loopback, signing and
 * checking list conditions as AWS does, with an audit log of IAM decisions)
 * from Node: the `--s3` local run and the jest suites use it.
 *
 * ```ts
 * const moto = await startMoto({ python: ".venv/bin/python" });
 * new S3Client(moto.clientConfig({ forcePathStyle: true }));
 * await moto.enforceIam();  // every later call is authenticated and authorized
 * await moto.stop();
 * ```
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localPython, REPO_ROOT } from "../python";

const LAUNCHER = join(REPO_ROOT, "scripts", "local", "aws", "moto_iam_server.py");

/** Credentials moto accepts before IAM is enforced; never real ones. */
export const UNAUTHENTICATED = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** AWS credentials as the JS SDK takes them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** One IAM decision the server made while IAM was enforced. */
export interface IamDecision {
  readonly access_key: string | null;
  readonly action: string;
  readonly resource: string;
  readonly method: string;
  readonly prefix: string | null;
  readonly allowed: boolean;
}

export interface MotoOptions {
  /** Python with moto installed. @default - `$LAKEHOUSE_PYTHON`, else `<repo>/.venv/bin/python` */
  readonly python?: string;
  /** Region the client configs use. @default "eu-west-1" */
  readonly region?: string;
}

export interface Moto {
  readonly endpoint: string;
  readonly region: string;
  /** Client options for an AWS SDK v3 client: endpoint, region, credentials (unauthenticated ones by default). */
  clientConfig<T extends object>(extra?: T, credentials?: AwsCredentials): { endpoint: string; region: string; credentials: AwsCredentials } & T;
  /** From now on every call must be signed by known credentials and allowed by their policies. */
  enforceIam(): Promise<void>;
  /** Every IAM decision so far. */
  decisions(): IamDecision[];
  /** `POST` to a moto API path, e.g. `/moto-api/reset`. */
  post(path: string, body?: string): Promise<void>;
  stop(): Promise<void>;
}

/** `POST` to a moto server's API path; fails with the server's answer. */
async function postTo(endpoint: string, path: string, body?: string): Promise<void> {
  const response = await fetch(`${endpoint}${path}`, { method: "POST", body, headers: { "content-type": "text/plain" } });
  if (!response.ok) throw new Error(`moto ${path} answered ${response.status}: ${await response.text()}`);
}

/** Turns IAM enforcement on for a running server: from then on no call goes unauthenticated. */
export function enforceIamOn(endpoint: string): Promise<void> {
  return postTo(endpoint, "/moto-api/reset-auth", "0");
}

export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const python = localPython(options.python, "the moto server");
  const region = options.region ?? "eu-west-1";
  const workdir = mkdtempSync(join(tmpdir(), "lakehouse-moto-"));
  const auditLog = join(workdir, "iam-audit.jsonl");
  const portFile = join(workdir, "port");
  const child = spawn(python, [LAUNCHER, "--audit-log", auditLog, "--port-file", portFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  child.on("error", (error) => (stderr += `\n${error.message}`));
  // The server never outlives this process, even when it ends without calling stop().
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let port: number;
  try {
    port = await waitForPort(portFile, child, () => stderr);
  } catch (error) {
    process.removeListener("exit", killOnExit);
    rmSync(workdir, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;

  const post = (path: string, body?: string) => postTo(endpoint, path, body);
  return {
    endpoint,
    region,
    clientConfig: <T extends object>(extra?: T, credentials: AwsCredentials = UNAUTHENTICATED) => ({ endpoint, region, credentials, ...(extra as T) }),
    enforceIam: () => enforceIamOn(endpoint),
    decisions: () =>
      existsSync(auditLog)
        ? readFileSync(auditLog, "utf8")
            .split("\n")
            .filter((line) => line.trim())
            .map((line) => JSON.parse(line) as IamDecision)
        : [],
    post,
    stop: async () => {
      await stopChild(child);
      process.removeListener("exit", killOnExit);
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(portFile: string, child: ChildProcess, stderr: () => string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`moto_iam_server ended (${child.exitCode ?? child.signalCode}):\n${stderr()}`);
    const text = existsSync(portFile) ? readFileSync(portFile, "utf8").trim() : "";
    if (text) return Number(text);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`moto_iam_server did not start within 30 s:\n${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}
