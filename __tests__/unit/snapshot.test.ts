import { synthStack, testConfig } from "../support/synth";

/** Drops what churns without a real change: the exact provider pin of the installed provider package. */
function scrub(stack: any) {
  const copy = structuredClone(stack);
  if (copy.terraform?.required_providers?.aws) copy.terraform.required_providers.aws.version = "<pinned by @cdktf/provider-aws>";
  return copy;
}

describe("synthesized stacks", () => {
  test.each(["dev", "prod"])("the %s stack matches its reviewed snapshot", (environment) => {
    expect(scrub(synthStack(testConfig(), environment).parsed)).toMatchSnapshot();
  });
});
