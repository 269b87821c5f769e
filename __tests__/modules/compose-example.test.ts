import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildComposeApp } from "../../examples/compose/main";

/**
 * examples/compose: the constructs composed another way than main.ts (a
 * bucket made elsewhere, the user's own role granted access), synthesized
 * from the public API.
 */
describe("the compose example", () => {
  const outdir = mkdtempSync(join(tmpdir(), "compose-example-"));
  buildComposeApp(outdir).synth();
  const stack = JSON.parse(readFileSync(join(outdir, "stacks", "analytics-team", "cdk.tf.json"), "utf8"));
  const resources = (type: string): Record<string, any>[] => Object.values(stack.resource[type] ?? {});
  const policyNamed = (name: string) => JSON.parse(resources("aws_iam_role_policy").find((p) => p.name === name)!.policy).Statement as any[];

  test("synthesizes without creating a bucket: the jobs and tables use the one it is given", () => {
    expect(resources("aws_s3_bucket")).toHaveLength(0);
    for (const job of resources("aws_glue_job")) expect(job.default_arguments["--lake_root"]).toBe("s3://acme-shared-lake-123456789012");
    for (const table of resources("aws_glue_catalog_table")) expect(table.storage_descriptor.location).toMatch(/^s3:\/\/acme-shared-lake-123456789012\/curated\//);
  });

  test("alerts go to the team's existing topic: no topic or key is made, every rule and alarm targets it", () => {
    const topic = "arn:aws:sns:eu-west-1:123456789012:acme-on-call";
    expect(resources("aws_sns_topic")).toHaveLength(0);
    expect(resources("aws_kms_key")).toHaveLength(0);
    expect(resources("aws_cloudwatch_event_target").map((t) => t.arn)).toEqual(resources("aws_cloudwatch_event_target").map(() => topic));
    const alarms = resources("aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(["acme-analytics-batch-quality", "acme-analytics-incremental-quality"]);
    for (const alarm of alarms) expect(alarm).toMatchObject({ namespace: "Lakehouse/acme-analytics", threshold: 10, alarm_actions: [topic] });
  });

  test("the jobs' settings come from flat props: flex, and no trigger when the schedule is null", () => {
    expect(resources("aws_glue_job").map((j) => j.execution_class)).toEqual(["FLEX", "FLEX"]);
    expect(resources("aws_glue_trigger")).toHaveLength(0);
  });

  test("the analyst's own role gets one inline policy: curated orders and its workgroup's results, nothing else", () => {
    const statements = policyNamed("acme-analytics-analyst-lake-access");
    const s3Resources = statements.filter((s) => s.Action.some((a: string) => a.startsWith("s3:"))).flatMap((s) => s.Resource);
    const objects = s3Resources.filter((r: string) => r.includes(":::acme-shared-lake-123456789012/"));
    expect(objects.every((r: string) => /\/(curated\/orders|athena-results\/acme-analytics-adhoc)(\/\*)?$/.test(r))).toBe(true);
    const listed = statements.filter((s) => s.Action.includes("s3:ListBucket")).flatMap((s) => s.Condition.StringLike["s3:prefix"]);
    expect(listed.sort()).toEqual(["athena-results/acme-analytics-adhoc/*", "curated/orders/*"]);
  });

  test("the table grant covers the catalog entry and the KMS key with the data", () => {
    const statements = policyNamed("acme-analytics-analyst-lake-access");
    const catalog = statements.find((s) => s.Sid === "ReadTableOrdersCatalog");
    expect(catalog.Resource.at(-1)).toMatch(/^arn:\$\{data\.aws_partition\.aws-partition\.partition\}:glue:eu-west-1:123456789012:table\/.+\/orders$/);
    expect(catalog.Action).not.toContain("glue:UpdateTable");
    expect(statements.find((s) => s.Sid === "ReadTableOrdersKms").Resource).toEqual([expect.stringMatching(/^arn:aws:kms:/)]);
  });
});
