/**
 * The generator's handler against S3 with IAM enforced, under its own
 * synthesized role: the function's environment and role policy exactly as
 * `cdk.tf.json` declares them (scripts/local/aws/synth-estate.ts), the role
 * assumed as Lambda assumes it.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHandler, settingsFromEnv } from "../../lambda/handler";
import { provisionLocalAccount, type LocalAccount } from "../../scripts/local/aws/lake-account";
import { startMoto, type Moto } from "../../scripts/local/aws/moto";
import { synthesizeEstate } from "../../scripts/local/aws/synth-estate";
import { testConfig } from "../support/synth";

const FUNCTION = "shoplake-dev-order-generator";
const NOW = new Date("2026-11-25T17:30:12.345Z");
const silent = () => undefined;

let moto: Moto;
let account: LocalAccount;
const s3As = (credentials: LocalAccount["operator"]) => new S3Client({ ...moto.clientConfig({ forcePathStyle: true, maxAttempts: 1 }, credentials) });
const generator = () => s3As(account.roles[FUNCTION]);
const bucket = () => account.estate.bucketName;

beforeAll(async () => {
  moto = await startMoto();
  account = await provisionLocalAccount(moto.endpoint, synthesizeEstate(testConfig(), "dev"), () => moto.enforceIam());
}, 60_000);
afterAll(async () => moto?.stop());

test("the handler writes its file with its own role's credentials and the synthesized environment", async () => {
  const settings = settingsFromEnv(account.estate.functions[FUNCTION].environment);
  const handler = createHandler({ s3: generator(), settings, clock: () => NOW, log: silent });

  const result = await handler({}, { awsRequestId: "under-role" });

  const written = await s3As(account.operator).send(new GetObjectCommand({ Bucket: bucket(), Key: result.key }));
  expect((await written.Body!.transformToString()).trimEnd().split("\n")).toHaveLength(settings.ordersPerInvocation);
  const put = moto.decisions().find((d) => d.action === "s3:PutObject" && d.resource.endsWith(result.key))!;
  expect(put).toMatchObject({ access_key: account.roles[FUNCTION].accessKeyId, allowed: true });
});

test.each(["raw/orders/forged.csv", "curated/orders/forged.parquet", "_system/scripts/batch_job.py"])(
  "the generator's role may not write %s",
  async (key) => {
    await expect(generator().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: "x" }))).rejects.toMatchObject({ name: "AccessDenied" });
  },
);

test("the generator's role cannot read back the feed it writes", async () => {
  const settings = settingsFromEnv(account.estate.functions[FUNCTION].environment);
  const result = await createHandler({ s3: generator(), settings, clock: () => NOW, log: silent })({}, { awsRequestId: "read-back" });

  await expect(generator().send(new GetObjectCommand({ Bucket: bucket(), Key: result.key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
});
