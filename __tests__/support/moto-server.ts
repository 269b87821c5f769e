/**
 * A moto server on a free loopback port, started and stopped by the suite that
 * needs it: AWS APIs without Docker, network or credentials.
 *
 *   const moto = useMotoServer();            // beforeAll starts, afterAll stops, beforeEach resets
 *   new S3Client(moto.clientConfig({ forcePathStyle: true }))
 */
import { startMoto, UNAUTHENTICATED, type Moto } from "../../scripts/local/aws/moto";

/** Credentials moto accepts; never real ones. */
export const DUMMY_CREDENTIALS = UNAUTHENTICATED;
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
  /** The server itself: IAM enforcement and its audit log. */
  readonly moto: Moto;
  stop(): Promise<void>;
}

export async function startMotoServer(): Promise<MotoServer> {
  const moto = await startMoto({ region: TEST_REGION });
  // moto's reset keeps state-manager transitions; these are undone by hand.
  const transitions = new Set<string>();
  return {
    endpoint: moto.endpoint,
    moto,
    clientConfig: <T extends object>(extra?: T) => ({ endpoint: moto.endpoint, region: TEST_REGION, credentials: DUMMY_CREDENTIALS, ...(extra as T) }),
    reset: async () => {
      await moto.post("/moto-api/reset");
      for (const model of transitions) await moto.post("/moto-api/state-manager/unset-transition", JSON.stringify({ model_name: model }));
      transitions.clear();
    },
    setTransition: async (modelName, transition) => {
      await moto.post("/moto-api/state-manager/set-transition", JSON.stringify({ model_name: modelName, transition }));
      transitions.add(modelName);
    },
    stop: () => moto.stop(),
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
    get moto() {
      return current().moto;
    },
    stop: () => current().stop(),
  };
}
