import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { RoleGrants, ServiceRole } from "../../modules/iam";
import { LakeStorage } from "../../modules/storage";
import { LakehouseStack } from "../../modules/lakehouse-stack";
import { lakehouseArtifacts } from "../../scripts/build/artifacts";
import { testConfig } from "../support/synth";

const policyStatements = (stack: TerraformStack, roleName: string) => {
  const parsed = JSON.parse(Testing.synth(stack));
  const policy = Object.values(parsed.resource.aws_iam_role_policy as Record<string, any>).find((p) => p.name.startsWith(roleName));
  return JSON.parse(policy.policy).Statement as { Sid: string; Action: string[]; Resource: string[] }[];
};

describe("grants in the aws-cdk manner", () => {
  test("a grant made after a role is built lands in its one inline policy", () => {
    const stack = new TerraformStack(Testing.app(), "late-grant");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "reader", servicePrincipal: "glue.amazonaws.com" });
    storage.grantRead(role, ["curated/orders/"]);
    expect(policyStatements(stack, "reader").map((s) => s.Sid)).toEqual(["ReadCuratedOrdersList", "ReadCuratedOrders"]);
  });

  test("a second statement under the same id is refused, naming the id", () => {
    const stack = new TerraformStack(Testing.app(), "twice");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "reader", servicePrincipal: "glue.amazonaws.com" });
    storage.grantRead(role, ["curated/orders/"], "ReadOrders");
    expect(() => storage.grantRead(role, ["curated/dim_customers/"], "ReadOrders")).toThrow(/Sid "ReadOrdersList" was already granted/);
  });

  test("granting the same statement twice is harmless: the policy holds it once", () => {
    const stack = new TerraformStack(Testing.app(), "same-twice");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "reader", servicePrincipal: "glue.amazonaws.com" });
    storage.grantRead(role, ["curated/orders/"]);
    storage.grantRead(role, ["curated/orders/"]);
    expect(policyStatements(stack, "reader").map((s) => s.Sid)).toEqual(["ReadCuratedOrdersList", "ReadCuratedOrders"]);
  });

  test("a statement id IAM would refuse fails at grant time", () => {
    const stack = new TerraformStack(Testing.app(), "bad-sid");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "reader", servicePrincipal: "glue.amazonaws.com" });
    expect(() => storage.grantRead(role, ["curated/orders/"], "Read-Orders")).toThrow(/Sid "Read-OrdersList" must be letters and digits only/);
  });

  test("a grant of no prefixes adds nothing, so no statement has an empty resource list", () => {
    const stack = new TerraformStack(Testing.app(), "no-prefixes");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "reader", servicePrincipal: "glue.amazonaws.com" });
    storage.grantRead(role, [], "ReadNothing");
    storage.grantPut(role, ["raw/x/"]);
    expect(policyStatements(stack, "reader").map((s) => s.Sid)).toEqual(["PutRawX"]);
  });

  test("grants beyond what IAM lets one role carry fail at the grant, naming the role and what to do", () => {
    const stack = new TerraformStack(Testing.app(), "too-big");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new ServiceRole(stack, "role", { roleName: "hoarder", servicePrincipal: "glue.amazonaws.com" });
    expect(() => {
      for (let i = 0; i < 600; i++) storage.grantRead(role, [`curated/table_with_a_long_name_${i}/`]);
    }).toThrow(/^role hoarder: its grants, \d+\+ characters as deployed, do not fit what IAM lets one role carry \(10240 characters inline and 10 managed policies of 6144\); grant it fewer prefixes/);
  });

  test("RoleGrants over IAM's inline quota fails at the grant: it has no managed policies to overflow into", () => {
    const stack = new TerraformStack(Testing.app(), "too-big-grants");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const grants = new RoleGrants(stack, "mine", { roleName: "r", roleArn: "arn:aws:iam::123456789012:role/r" });
    expect(() => {
      for (let i = 0; i < 100; i++) storage.grantRead(grants, [`curated/table_with_a_long_name_${i}/`]);
    }).toThrow(/RoleGrants too-big-grants\/mine: its grants, \d+\+ characters as deployed, do not fit what IAM lets one role carry \(10240 characters inline\)/);
  });

  test("a role granted nothing fails synth: IAM refuses an empty policy", () => {
    const stack = new TerraformStack(Testing.app(), "empty-role");
    new ServiceRole(stack, "role", { roleName: "idle", servicePrincipal: "glue.amazonaws.com" });
    expect(() => Testing.synth(stack)).toThrow(/role idle: nothing was granted/);
  });

  test("a query grant reaches only its own workgroup's results folder", () => {
    const config = testConfig();
    const stack = new LakehouseStack(Testing.app(), "query-grant", { config, environment: "dev", artifacts: lakehouseArtifacts(config) });
    const { analytics, etl } = stack.lakehouse;
    analytics.grantQuery(etl.jobs.batch.role);
    const added = policyStatements(stack, "shoplake-dev-batch-job").filter((s) => s.Sid.startsWith("QueryAnalytics"));
    expect(added.map((s) => s.Sid)).toEqual(["QueryAnalytics", "QueryAnalyticsResultsBucket", "QueryAnalyticsReadResultsList", "QueryAnalyticsReadResults", "QueryAnalyticsWriteResults"]);
    const objects = added.filter((s) => s.Action.some((a) => a === "s3:GetObject" || a === "s3:PutObject")).flatMap((s) => s.Resource);
    expect(objects.every((r) => r.includes("/athena-results/shoplake-dev-analytics/") || r.endsWith("/athena-results/shoplake-dev-analytics"))).toBe(true);
  });

  test("a role made elsewhere gets grants through RoleGrants", () => {
    const stack = new TerraformStack(Testing.app(), "own-role");
    const storage = new LakeStorage(stack, "storage", { bucketName: "b" });
    const role = new IamRole(stack, "mine", { name: "mine", assumeRolePolicy: "{}" });
    const grants = new RoleGrants(stack, "mine-grants", { roleName: role.name, roleArn: role.arn });
    storage.grantPut(grants, ["raw/partner/"]);
    expect(policyStatements(stack, "mine-grants")).toEqual([expect.objectContaining({ Sid: "PutRawPartner", Action: ["s3:PutObject"] })]);
  });

  test("RoleGrants with nothing granted fails synth: IAM refuses an empty policy", () => {
    const stack = new TerraformStack(Testing.app(), "empty");
    new RoleGrants(stack, "nothing", { roleName: "r", roleArn: "arn:aws:iam::123456789012:role/r" });
    expect(() => Testing.synth(stack)).toThrow(/nothing was granted/);
  });

  test("a curated table grants a lakehouse job role read of its catalog entry and folder only", () => {
    const config = testConfig();
    const stack = new LakehouseStack(Testing.app(), "table-grant", { config, environment: "dev", artifacts: lakehouseArtifacts(config) });
    const { catalog, etl } = stack.lakehouse;
    catalog.tables.products.grantRead(etl.jobs.incremental.role);
    const added = policyStatements(stack, "shoplake-dev-incremental-job").filter((s) => s.Sid.startsWith("ReadTableDimProducts"));
    expect(added.map((s) => s.Sid)).toEqual(["ReadTableDimProductsCatalog", "ReadTableDimProductsList", "ReadTableDimProducts"]);
    expect(added[2].Resource).toEqual([expect.stringMatching(/\/curated\/dim_products\/\*$/), expect.stringMatching(/\/curated\/dim_products$/)]);
  });

  test("jobs, crawler and generator expose their role, name and ARN as references to their resources", () => {
    const config = testConfig();
    const stack = new LakehouseStack(Testing.app(), "exposed", { config, environment: "dev", artifacts: lakehouseArtifacts(config) });
    const { etl, catalog, ingestion } = stack.lakehouse;
    // What a token refers to shows once it is synthesized: put each in an output.
    const exposed: Record<string, string> = {};
    let n = 0;
    const ref = (token: string) => {
      const id = `exposed-${n++}`;
      new TerraformOutput(stack, id, { value: token });
      return () => exposed[id];
    };
    const refs = {
      jobs: Object.values(etl.jobs).map((job) => [ref(job.jobName), ref(job.jobArn), ref(job.role.roleArn)]),
      crawlerArn: ref(catalog.rawCrawler.crawlerArn),
      crawlerRole: ref(catalog.rawCrawler.role.roleName),
      functionArn: ref(ingestion!.functionArn),
      functionRole: ref(ingestion!.role.roleArn),
    };
    for (const [id, output] of Object.entries(JSON.parse(Testing.synth(stack)).output as Record<string, { value: string }>)) exposed[id] = output.value;
    for (const [name, arn, role] of refs.jobs) {
      expect([name(), arn(), role()]).toEqual([
        expect.stringMatching(/^\$\{aws_glue_job\..+\.name\}$/),
        expect.stringMatching(/^\$\{aws_glue_job\..+\.arn\}$/),
        expect.stringMatching(/^\$\{aws_iam_role\..+\.arn\}$/),
      ]);
    }
    expect(refs.crawlerArn()).toMatch(/^\$\{aws_glue_crawler\..+\.arn\}$/);
    expect(refs.crawlerRole()).toMatch(/^\$\{aws_iam_role\..+\.name\}$/);
    expect(refs.functionArn()).toMatch(/^\$\{aws_lambda_function\..+\.arn\}$/);
    expect(refs.functionRole()).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
  });
});
