import { checkModule, interpolations } from "../../scripts/modules/checks";
import type { ModuleJson } from "../../scripts/modules/module-json";

/** A small sound module to break one thing at a time. */
function soundModule(): ModuleJson {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 6.0, < 7.0" } } },
    variable: { bucket_name: { type: "string", description: "Lake bucket" } },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      aws_s3_bucket: { lake: { bucket: "${var.bucket_name}-${data.aws_caller_identity.current.account_id}" } },
      aws_lambda_function: { fn: { filename: "${path.module}/assets/code/ABC/fn.zip", depends_on: ["aws_s3_bucket.lake"] } },
    },
    output: { bucket_arn: { value: "${aws_s3_bucket.lake.arn}", description: "ARN" } },
  };
}
const files = new Set(["main.tf.json", "assets/code/ABC/fn.zip"]);

describe("module static checks", () => {
  test("a sound module passes", async () => {
    expect(await checkModule(soundModule(), files)).toEqual([]);
  });

  test("an undeclared variable is reported where it is used", async () => {
    const module = soundModule();
    module.resource!.aws_s3_bucket.lake.force_destroy = "${var.force}";
    expect(await checkModule(module, files)).toEqual(['resource.aws_s3_bucket.lake.force_destroy: var.force: variable "force" is not declared']);
  });

  test("a reference to an undeclared resource, data source or module is reported", async () => {
    const module = soundModule();
    module.output!.bucket_arn.value = "${aws_s3_bucket.other.arn} ${data.aws_region.current.region} ${module.x.y}";
    expect(await checkModule(module, files)).toEqual([
      "output.bucket_arn.value: aws_s3_bucket.other.arn: resource aws_s3_bucket.other is not declared",
      "output.bucket_arn.value: data.aws_region.current.region: data source aws_region.current is not declared",
      'output.bucket_arn.value: module.x.y: module "x" is not declared',
    ]);
  });

  test("a dangling depends_on is reported", async () => {
    const module = soundModule();
    module.resource!.aws_lambda_function.fn.depends_on = ["aws_cloudwatch_log_group.logs"];
    expect(await checkModule(module, files)).toEqual([
      "resource.aws_lambda_function.fn.depends_on: aws_cloudwatch_log_group.logs: resource aws_cloudwatch_log_group.logs is not declared",
    ]);
  });

  test("a provider block, a backend and an exact provider pin are each reported", async () => {
    const module = soundModule() as any;
    module.provider = { aws: [{ region: "eu-west-1" }] };
    module.terraform.backend = { local: { path: "x" } };
    module.terraform.required_providers.aws.version = "6.25.0";
    const problems = await checkModule(module, files);
    expect(problems).toEqual(
      expect.arrayContaining([
        "has a provider block; the caller configures providers",
        "terraform.backend: a module declares no backend or cloud block",
        expect.stringMatching(/^terraform\.required_providers\.aws is .*6\.25\.0/),
      ]),
    );
  });

  test("an asset that does not ship beside the module is reported", async () => {
    expect(await checkModule(soundModule(), new Set(["main.tf.json"]))).toEqual([
      "resource.aws_lambda_function.fn.filename: references assets/code/ABC/fn.zip, which is not shipped beside main.tf.json",
    ]);
  });

  test("an unused variable and an output without a reference are reported", async () => {
    const module = soundModule();
    module.variable!.unused = { type: "number", description: "never read" };
    module.output!.constant = { value: "x", description: "a constant" };
    expect(await checkModule(module, files)).toEqual(['variable "unused" is declared but never used', 'output "constant" references nothing in the module']);
  });

  test("a leaked cdktf token is reported", async () => {
    const module = soundModule();
    module.resource!.aws_s3_bucket.lake.bucket = "${TfToken[TOKEN.12]}";
    expect(await checkModule(module, files)).toContainEqual("resource.aws_s3_bucket.lake.bucket: an unresolved cdktf token leaked into the module");
  });
});

describe("interpolations", () => {
  test("skips escaped $${ and keeps nested braces and quotes inside one interpolation", () => {
    expect(interpolations('year=$${year}/${var.a}-${{for k, v in var.m : k => "}"}}')).toEqual(["var.a", '{for k, v in var.m : k => "}"}']);
  });
});
