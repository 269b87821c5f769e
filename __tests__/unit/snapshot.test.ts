import { synthStack, testConfig } from "../support/synth";

/** Drops what churns without a real change in the infrastructure: the exact provider pin and the Lambda asset. */
function scrub(stack: any) {
  const copy = structuredClone(stack);
  if (copy.terraform?.required_providers?.aws) copy.terraform.required_providers.aws.version = "<pinned by @cdktf/provider-aws>";
  // The Lambda zip changes with the handler code; its own tests pin the bytes.
  for (const fn of Object.values<any>(copy.resource?.aws_lambda_function ?? {})) {
    fn.filename = "<asset>";
    fn.source_code_hash = "<sha256 of the zip>";
  }
  // Rendered scripts are checked against the renderer in etl.test.ts; here only their hash shows.
  for (const object of Object.values<any>(copy.resource?.aws_s3_object ?? {})) {
    if (object.key?.startsWith("_system/scripts/")) object.content = "<rendered script, see metadata content-sha256>";
  }
  return copy;
}

describe("synthesized stacks", () => {
  test.each(["dev", "prod"])("the %s stack matches its reviewed snapshot", (environment) => {
    expect(scrub(synthStack(testConfig(), environment).parsed)).toMatchSnapshot();
  });
});
