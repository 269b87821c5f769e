import { join } from "node:path";
import { tmpdir } from "node:os";
import { Testing } from "cdktf";
import { buildApp } from "../../main";
import defaultConfig from "../../lakehouse.config";
import { synthStack } from "../support/synth";

/** Where the apps these tests build would synthesize (they never do): never the checkout. */
const SCRATCH_OUT = join(tmpdir(), "lakehouse-unsynthesized");

describe("stack", () => {
  const { parsed } = synthStack();

  test("the AWS provider tags every resource with project, environment and managed-by", () => {
    expect(parsed.provider!.aws[0].default_tags).toEqual([
      { tags: { project: "E-commerce lakehouse", environment: "dev", "managed-by": "cdktf" } },
    ]);
  });

  test("the provider region comes from the config", () => {
    expect(parsed.provider!.aws[0].region).toBe("eu-west-1");
  });

  test("outputs name the bucket, database, workgroup and crawler", () => {
    expect(Object.keys(parsed.output!)).toEqual(expect.arrayContaining(["bucket_name", "database_name", "workgroup_name", "raw_crawler_name"]));
  });

  test("the bucket name is derived from prefix, environment and account", () => {
    const [bucket] = Object.values(parsed.resource.aws_s3_bucket);
    expect(bucket.bucket).toBe("shoplake-dev-lake-${data.aws_caller_identity.current.account_id}");
  });
});

describe("app", () => {
  const stacksOf = (app: ReturnType<typeof buildApp>) =>
    app.node.children.map((stack) => JSON.parse(Testing.synth(stack as any)));

  afterEach(() => delete process.env.TF_CLOUD_ORGANIZATION);

  test("builds one stack per environment", () => {
    const app = buildApp({ outdir: SCRATCH_OUT });
    expect(app.node.children.map((c) => c.node.id)).toEqual(["lakehouse-dev", "lakehouse-prod"]);
  });

  test("a config without a Terraform Cloud organization uses a relative local state path", () => {
    const [dev] = stacksOf(buildApp({ outdir: SCRATCH_OUT }));
    expect(dev.terraform.backend).toEqual({ local: { path: "terraform.lakehouse-dev.tfstate" } });
  });

  test("a Terraform Cloud organization gives one named workspace per stack", () => {
    const config = structuredClone(defaultConfig);
    config.backend = { terraformCloudOrganization: "acme", workspacePrefix: "lake-" };
    const [dev, prod] = stacksOf(buildApp({ outdir: SCRATCH_OUT, config }));
    expect(dev.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "lake-lakehouse-dev" } });
    expect(prod.terraform.cloud.workspaces).toEqual({ name: "lake-lakehouse-prod" });
  });

  test("TF_CLOUD_ORGANIZATION switches the backend without editing the config", () => {
    process.env.TF_CLOUD_ORGANIZATION = "from-env";
    const [dev] = stacksOf(buildApp({ outdir: SCRATCH_OUT }));
    expect(dev.terraform.cloud.organization).toBe("from-env");
    expect(dev.terraform.backend).toBeUndefined();
  });

  test("a bad config fails the build with the field named", () => {
    const config = structuredClone(defaultConfig);
    config.budget = { monthlyUsd: -1 };
    expect(() => buildApp({ outdir: SCRATCH_OUT, config })).toThrow(/budget\.monthlyUsd: must be a positive number/);
  });
});
