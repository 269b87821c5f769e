/**
 * A real estate: 200 datasets, the longest prefix and environment names the
 * config allows, and SSE-KMS. Every role stays within IAM's quotas as IAM
 * measures them (references resolved to their longest values), no job role
 * reaches a dataset another job processes, and the jobs stay within Glue's limits.
 */
import { lakeJobsOfKind, resolveConfig, ZONES, type LakehouseConfig } from "../../modules/config";
import { quotaProblems, rolePolicySizes } from "../../scripts/synth/role-quotas";
import { scaleConfig } from "../../examples/scale/scale-config";
import { LAKE_BUCKET_ARN, resourcesOfType, synthStack, type SynthesizedStack } from "../support/synth";

const KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/** The longest names the config allows: a 22-character prefix and a 10-character environment. */
const LONG_PREFIX = "a".repeat(21) + "z";
const LONG_ENV = "e".repeat(10);

function estate(count: number, change: (config: ReturnType<typeof scaleConfig>) => void = () => undefined): LakehouseConfig {
  const config = scaleConfig(count);
  config.project = { name: "estate", prefix: LONG_PREFIX };
  config.environments = [{ name: LONG_ENV }];
  config.storage = { kmsKeyArn: KMS_KEY };
  config.budget = { ...config.budget, allowOverBudget: true };
  change(config);
  return resolveConfig(config);
}

/** Every statement a role carries, inline and managed. */
function roleStatements(stack: SynthesizedStack, roleName: string): { Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, string[]>> }[] {
  const roleId = Object.entries(stack.resource.aws_iam_role).find(([, r]) => r.name === roleName)![0];
  const ofRole = (reference: string) => [`\${aws_iam_role.${roleId}.name}`, `\${aws_iam_role.${roleId}.id}`].includes(reference);
  const inline = resourcesOfType(stack, "aws_iam_role_policy").filter((p) => ofRole(p.role));
  const managed = resourcesOfType(stack, "aws_iam_role_policy_attachment")
    .filter((a) => ofRole(a.role))
    .map((a) => stack.resource.aws_iam_policy[/^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(a.policy_arn)![1]]);
  return [...inline, ...managed].flatMap((p) => JSON.parse(p.policy).Statement);
}

/** The lake paths a role's statements reach: object ARNs below the bucket and listed prefixes. */
function reachedPaths(statements: ReturnType<typeof roleStatements>): string[] {
  const objects = statements.flatMap((s) => s.Resource).filter((r) => LAKE_BUCKET_ARN.test(r) && r.replace(LAKE_BUCKET_ARN, "").startsWith("/"));
  const listed = statements.flatMap((s) => s.Condition?.StringLike?.["s3:prefix"] ?? []);
  return [...objects.map((r) => r.replace(LAKE_BUCKET_ARN, "").slice(1)), ...listed];
}

describe("a 200-dataset estate with KMS and the longest names", () => {
  const config = estate(200);
  const { parsed } = synthStack(config, LONG_ENV);
  const roles = rolePolicySizes(parsed);

  test("splits the datasets into batch jobs of at most glue.datasetsPerJob (25) each", () => {
    const jobs = resourcesOfType(parsed, "aws_glue_job").map((j) => j.name);
    expect(jobs.filter((n) => n.includes("-batch")).sort()).toEqual(
      ["batch", ...Array.from({ length: 7 }, (_, i) => `batch-${i + 2}`)].map((id) => `${LONG_PREFIX}-${LONG_ENV}-${id}`).sort(),
    );
    expect(jobs.filter((n) => n.includes("-incremental"))).toEqual([`${LONG_PREFIX}-${LONG_ENV}-incremental`]);
  });

  test("every role's policies fit IAM's quotas as deployed", () => {
    expect(roles.length).toBeGreaterThanOrEqual(10);
    expect(roles.flatMap((role) => quotaProblems(role).map((p) => `${role.roleName}: ${p}`))).toEqual([]);
  });

  test("roles whose grants outgrow the inline quota carry managed policies of their own", () => {
    const batch = roles.find((r) => r.roleName === `${LONG_PREFIX}-${LONG_ENV}-batch-2-job`)!;
    expect(batch.inline).toBeGreaterThan(9000);
    expect(batch.managed.length).toBeGreaterThan(0);
  });

  test("each batch job's role reaches only the raw, curated and quarantine folders of its own datasets", () => {
    const byName = new Map(config.datasets.map((d) => [d.name, d]));
    const folders = (names: readonly string[]) =>
      names.flatMap((n) => [`${ZONES.raw}${n}/`, `${ZONES.curated}${byName.get(n)!.table}/`, `${ZONES.quarantine}${n}/`]);
    const allFolders = folders(config.datasets.map((d) => d.name));
    for (const job of lakeJobsOfKind("batch", config.datasets, config.glue.datasetsPerJob)) {
      const paths = reachedPaths(roleStatements(parsed, `${LONG_PREFIX}-${LONG_ENV}-${job.id}-job`));
      const own = folders(job.datasets);
      const foreign = paths.filter((p) => allFolders.some((f) => p.startsWith(f) || p === f.slice(0, -1)) && !own.some((f) => p.startsWith(f) || p === f.slice(0, -1)));
      expect({ job: job.id, foreign }).toEqual({ job: job.id, foreign: [] });
      // And every one of its own folders is granted: the split lost nothing.
      expect(own.filter((f) => !paths.includes(`${f}*`))).toEqual([]);
    }
  });

  test("no job grant covers a whole zone", () => {
    const jobRoles = roles.map((r) => r.roleName).filter((n) => n.endsWith("-job"));
    const zoneWide = jobRoles.flatMap((name) =>
      reachedPaths(roleStatements(parsed, name))
        .filter((p) => Object.values(ZONES).some((zone) => p === zone || p === `${zone}*`))
        .map((p) => `${name}: ${p}`),
    );
    expect(zoneWide).toEqual([]);
  });

  test("every job's arguments, description and role description stay within Glue's and IAM's limits", () => {
    for (const job of resourcesOfType(parsed, "aws_glue_job")) {
      // Glue: job arguments at most 260 KB in all; a description at most 2,048 characters.
      expect(Buffer.byteLength(JSON.stringify(job.default_arguments))).toBeLessThan(260 * 1024);
      expect(job.description.length).toBeLessThanOrEqual(2048);
      expect(job.name.length).toBeLessThanOrEqual(255);
    }
    for (const role of resourcesOfType(parsed, "aws_iam_role")) {
      expect(role.name.length).toBeLessThanOrEqual(64);
      expect((role.description ?? "").length).toBeLessThanOrEqual(1000);
    }
  });
});

describe("one job of 25 datasets with 63-character names", () => {
  test("fits its role within IAM's quotas", () => {
    const config = estate(25, (c) => {
      c.datasets = c.datasets.map((d, i) => {
        if (i < 3) return d;
        const name = `n${String(i).padStart(2, "0")}_${"x".repeat(59)}`;
        return { ...d, name, table: `t${String(i).padStart(2, "0")}_${"y".repeat(59)}` };
      });
    });
    const { parsed } = synthStack(config, LONG_ENV);
    expect(resourcesOfType(parsed, "aws_glue_job").map((j) => j.name)).toContain(`${LONG_PREFIX}-${LONG_ENV}-batch`);
    expect(rolePolicySizes(parsed).flatMap((role) => quotaProblems(role).map((p) => `${role.roleName}: ${p}`))).toEqual([]);
  });
});


describe("a 200-dataset estate in a shared bucket, its system keys under the longest system prefix", () => {
  const systemPrefix = `${"s".repeat(62)}/`;
  const config = estate(200, (c) => (c.storage = { kmsKeyArn: KMS_KEY, systemPrefix }));
  const { parsed } = synthStack(config, LONG_ENV);

  test("still fits every role within IAM's quotas", () => {
    expect(rolePolicySizes(parsed).flatMap((role) => quotaProblems(role).map((p) => `${role.roleName}: ${p}`))).toEqual([]);
  });

  test("every job runs with the prefix and reaches system keys only below it", () => {
    for (const job of resourcesOfType(parsed, "aws_glue_job")) {
      expect(job.default_arguments["--system_prefix"]).toBe(systemPrefix);
      const dataZones = [ZONES.raw, ZONES.curated, ZONES.quarantine, ZONES.athenaResults];
      const system = reachedPaths(roleStatements(parsed, roleNameOf(parsed, job.role_arn))).filter((path) => !dataZones.some((zone) => path.startsWith(zone)));
      expect(system.length).toBeGreaterThan(0);
      expect(system.filter((path) => !path.startsWith(systemPrefix))).toEqual([]);
    }
  });

  test("the scripts are uploaded below the prefix", () => {
    expect(resourcesOfType(parsed, "aws_s3_object").map((o) => o.key).filter((key) => !key.startsWith(`${systemPrefix}_system/scripts/`))).toEqual([]);
  });
});

/** The role name a job's `role_arn` reference points at. */
function roleNameOf(stack: SynthesizedStack, reference: string): string {
  const id = /^\$\{aws_iam_role\.([\w-]+)\.arn\}$/.exec(reference)![1];
  return stack.resource.aws_iam_role[id].name;
}
