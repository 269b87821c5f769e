/**
 * A moto server on a free loopback port, started and stopped by the suite that
 * needs it: AWS APIs without Docker, network or credentials.
 *
 *   const moto = useMotoServer();            // beforeAll starts, afterAll stops, beforeEach resets
 *   new S3Client(moto.clientConfig({ forcePathStyle: true }))
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const MOTO_BIN = join(__dirname, "..", "..", ".venv", "bin", "moto_server");

/** Credentials moto accepts; never real ones. */
export const DUMMY_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;
export const TEST_REGION = "eu-west-1";

export interface MotoServer {
  readonly endpoint: string;
  /** Client options for any AWS SDK v3 client: endpoint, region, dummy credentials. */
  clientConfig<T extends object>(extra?: T): { endpoint: string; region: string; credentials: typeof DUMMY_CREDENTIALS } & T;
  /** Drops every resource in every service (`POST /moto-api/reset`) and undoes {@link setTransition}. */
  reset(): Promise<void>;
  /**
   * Sets how a model's state advances, e.g. `("glue::crawl", { progression: "immediate" })`.
   * Model names are moto's: `glue::job_run`, `glue::crawl`. Lasts until the next {@link reset}.
   */
  setTransition(modelName: string, transition: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startMotoServer(): Promise<MotoServer> {
  if (!existsSync(MOTO_BIN)) throw new Error(`moto_server not found at ${MOTO_BIN}: create .venv with moto[server] (scripts/setup-python.sh)`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO_BIN, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  await waitUntilUp(endpoint, child, () => stderr);

  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${endpoint}${path}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`moto ${path} answered ${response.status}: ${await response.text()}`);
  };
  // moto's reset keeps state-manager transitions; these are undone by hand.
  const transitions = new Set<string>();
  return {
    endpoint,
    clientConfig: <T extends object>(extra?: T) => ({ endpoint, region: TEST_REGION, credentials: DUMMY_CREDENTIALS, ...(extra as T) }),
    reset: async () => {
      await post("/moto-api/reset");
      for (const model of transitions) await post("/moto-api/state-manager/unset-transition", { model_name: model });
      transitions.clear();
    },
    setTransition: async (modelName, transition) => {
      await post("/moto-api/state-manager/set-transition", { model_name: modelName, transition });
      transitions.add(modelName);
    },
    stop: () => stopChild(child),
  };
}

/** Jest hooks: one server per suite, reset before each test. */
export function useMotoServer(): MotoServer {
  let server: MotoServer | undefined;
  const current = () => {
    if (!server) throw new Error("moto server is not running (used outside a test?)");
    return server;
  };
  beforeAll(async () => {
    server = await startMotoServer();
  }, 30_000);
  afterAll(async () => server?.stop());
  beforeEach(async () => current().reset());
  return {
    get endpoint() {
      return current().endpoint;
    },
    clientConfig: (extra) => current().clientConfig(extra),
    reset: () => current().reset(),
    setTransition: (model, transition) => current().setTransition(model, transition),
    stop: () => current().stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s:\n${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
