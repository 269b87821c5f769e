import { ZONES } from "../../modules/config";
import { LAKE_BUCKET_ARN, resourcesOfType, synthStack, type SynthesizedStack } from "../support/synth";

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, unknown>;
}

/** Every inline role policy of a stack, by role policy name. */
function rolePolicies(stack: SynthesizedStack): Map<string, Statement[]> {
  return new Map(resourcesOfType(stack, "aws_iam_role_policy").map((p) => [p.name as string, JSON.parse(p.policy).Statement]));
}

const BUCKET_ARN = LAKE_BUCKET_ARN;
const ZONE_PREFIXES = Object.values(ZONES);

describe("IAM least privilege", () => {
  const stacks = ["dev", "prod"].map((env) => synthStack(undefined, env).parsed);
  const policies = stacks.flatMap((stack) => [...rolePolicies(stack).entries()]);

  test("the stacks declare role policies to check", () => {
    expect(policies.length).toBeGreaterThan(0);
  });

  test("no statement allows a wildcard action", () => {
    const wildcards = policies.flatMap(([name, statements]) =>
      statements.flatMap((s) => s.Action.filter((a) => a === "*" || a.endsWith(":*")).map((a) => `${name}/${s.Sid}: ${a}`)),
    );
    expect(wildcards).toEqual([]);
  });

  test("every S3 object ARN in a policy is scoped below a zone prefix", () => {
    const unscoped = policies.flatMap(([name, statements]) =>
      statements.flatMap((s) =>
        s.Resource.filter((r) => BUCKET_ARN.test(r) && r.includes("/"))
          .map((r) => r.replace(BUCKET_ARN, ""))
          .filter((path) => !ZONE_PREFIXES.some((zone) => path.startsWith(`/${zone}`)) || path === "/*")
          .map((path) => `${name}/${s.Sid}: ${path}`),
      ),
    );
    expect(unscoped).toEqual([]);
  });

  test("bucket-level S3 permissions (listing) are limited by an s3:prefix condition", () => {
    const unconditioned = policies.flatMap(([name, statements]) =>
      statements
        .filter((s) => s.Resource.some((r) => BUCKET_ARN.test(r) && !r.includes("/")))
        .filter((s) => !JSON.stringify(s.Condition ?? {}).includes("s3:prefix"))
        .map((s) => `${name}/${s.Sid}`),
    );
    expect(unconditioned).toEqual([]);
  });

  test("only the Glue jobs that own curated tables may delete from curated/", () => {
    const deleters = policies.flatMap(([name, statements]) =>
      statements
        .filter((s) => s.Action.includes("s3:DeleteObject"))
        .filter((s) => s.Resource.some((r) => r.replace(BUCKET_ARN, "").startsWith(`/${ZONES.curated}`)))
        .map(() => name),
    );
    expect([...new Set(deleters)].sort()).toEqual([
      "shoplake-dev-batch-job-least-privilege",
      "shoplake-dev-incremental-job-least-privilege",
      "shoplake-prod-batch-job-least-privilege",
      "shoplake-prod-incremental-job-least-privilege",
    ]);
  });

  test("a wildcard resource appears only where the action has no resource-level permissions", () => {
    const wildcardResources = policies.flatMap(([name, statements]) =>
      statements.filter((s) => s.Resource.includes("*")).map((s) => `${name}/${s.Sid}:${s.Action.join(",")}`),
    );
    for (const entry of wildcardResources) expect(entry).toMatch(/:cloudwatch:PutMetricData$/);
  });
});
