/**
 * The IAM roles of a synthesized stack, exactly as `cdk.tf.json` declares them,
 * with their Terraform references resolved to one concrete account: what AWS
 * would hold after `terraform apply`. The AWS-faithful local runs create these
 * roles on a moto server and run each component under its own role.
 *
 * Nothing is added or dropped: each role gets its synthesized trust policy and
 * its inline policies, statement for statement. A reference this resolver does
 * not know fails loudly instead of being guessed.
 *
 * ```ts
 * const estate = readSynthesizedEstate(JSON.parse(readFileSync("cdktf.out/stacks/lakehouse-dev/cdk.tf.json", "utf8")), { accountId: "123456789012" });
 * estate.glueJobs["shoplake-dev-batch"].policies[0].document.Statement;
 * ```
 */

/** The parts of a synthesized `cdk.tf.json` this module reads. */
export interface StackJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly provider?: { aws?: { region?: string }[] };
}

/** An IAM policy document as JSON. */
export interface PolicyDocumentJson {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** One synthesized role, references resolved. */
export interface SynthesizedRole {
  readonly roleName: string;
  readonly roleArn: string;
  /** The trust policy (`assume_role_policy`). */
  readonly trustPolicy: PolicyDocumentJson;
  /** Inline policies (`aws_iam_role_policy`) attached to the role, by policy name. */
  readonly policies: readonly { readonly name: string; readonly document: PolicyDocumentJson }[];
  /** Customer managed policies (`aws_iam_policy`) attached to it (`aws_iam_role_policy_attachment`), by policy name. */
  readonly managedPolicies: readonly { readonly name: string; readonly document: PolicyDocumentJson }[];
}

/** The roles of one stack by what runs under them, and the lake bucket they refer to. */
export interface SynthesizedEstate {
  readonly accountId: string;
  readonly region: string;
  /** Name of the one lake bucket. */
  readonly bucketName: string;
  /** Glue job name -> the job's role, and the job's `default_arguments` (references resolved) that Glue passes every run. */
  readonly glueJobs: Readonly<Record<string, SynthesizedRole & { readonly defaultArguments: Readonly<Record<string, string>> }>>;
  /** Lambda function name -> the function's role. */
  readonly functions: Readonly<Record<string, SynthesizedRole & { readonly environment: Readonly<Record<string, string>> }>>;
  /** Glue crawler name -> the crawler's role. */
  readonly crawlers: Readonly<Record<string, SynthesizedRole>>;
  /** Every metric alarm: what it watches, so a test can check that something publishes it. */
  readonly alarms: readonly SynthesizedAlarm[];
}

/** A metric alarm as synthesized (references resolved). */
export interface SynthesizedAlarm {
  readonly alarmName: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface EstateContext {
  /** The account the stack is applied in (what `data.aws_caller_identity.current.account_id` returns). */
  readonly accountId: string;
  /** @default - the AWS provider's `region` */
  readonly region?: string;
}

/** Reads the roles of a synthesized stack for one account. */
export function readSynthesizedEstate(stack: StackJson, context: EstateContext): SynthesizedEstate {
  const region = context.region ?? stack.provider?.aws?.[0]?.region;
  if (!region) throw new Error("the stack has no AWS provider region; pass one");
  const resolver = new ReferenceResolver(stack, context.accountId, region);

  const policiesByRole = new Map<string, { name: string; document: PolicyDocumentJson }[]>();
  for (const policy of Object.values(stack.resource.aws_iam_role_policy ?? {})) {
    const roleId = resolver.referencedResource(String(policy.role), "aws_iam_role");
    const list = policiesByRole.get(roleId) ?? [];
    list.push({ name: resolver.text(String(policy.name)), document: resolver.json(String(policy.policy)) as PolicyDocumentJson });
    policiesByRole.set(roleId, list);
  }
  const managedByRole = new Map<string, { name: string; document: PolicyDocumentJson }[]>();
  for (const attachment of Object.values(stack.resource.aws_iam_role_policy_attachment ?? {})) {
    const roleId = resolver.referencedResource(String(attachment.role), "aws_iam_role");
    const policy = stack.resource.aws_iam_policy?.[resolver.referencedResource(String(attachment.policy_arn), "aws_iam_policy")];
    if (!policy) throw new Error(`an attachment to ${String(attachment.role)} names ${String(attachment.policy_arn)}, not a policy of the stack`);
    const list = managedByRole.get(roleId) ?? [];
    list.push({ name: resolver.text(String(policy.name)), document: resolver.json(String(policy.policy)) as PolicyDocumentJson });
    managedByRole.set(roleId, list);
  }
  const roleOf = (roleRef: unknown): SynthesizedRole => {
    const id = resolver.referencedResource(String(roleRef), "aws_iam_role");
    const role = stack.resource.aws_iam_role?.[id];
    if (!role) throw new Error(`no aws_iam_role.${id} in the stack`);
    const roleName = resolver.text(String(role.name));
    return {
      roleName,
      roleArn: resolver.text(`\${aws_iam_role.${id}.arn}`),
      trustPolicy: resolver.json(String(role.assume_role_policy)) as PolicyDocumentJson,
      policies: (policiesByRole.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      managedPolicies: (managedByRole.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
    };
  };

  const buckets = Object.values(stack.resource.aws_s3_bucket ?? {});
  if (buckets.length !== 1) throw new Error(`expected one lake bucket in the stack, found ${buckets.length}`);
  const glueJobs: Record<string, SynthesizedRole & { defaultArguments: Record<string, string> }> = {};
  for (const job of Object.values(stack.resource.aws_glue_job ?? {})) {
    const args = (job.default_arguments ?? {}) as Record<string, string>;
    glueJobs[resolver.text(String(job.name))] = {
      ...roleOf(job.role_arn),
      defaultArguments: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, resolver.text(v)])),
    };
  }
  const functions: Record<string, SynthesizedRole & { environment: Record<string, string> }> = {};
  for (const fn of Object.values(stack.resource.aws_lambda_function ?? {})) {
    const variables = ((fn.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
    functions[resolver.text(String(fn.function_name))] = {
      ...roleOf(fn.role),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolver.text(v)])),
    };
  }
  const crawlers: Record<string, SynthesizedRole> = {};
  for (const crawler of Object.values(stack.resource.aws_glue_crawler ?? {})) crawlers[resolver.text(String(crawler.name))] = roleOf(crawler.role);

  const alarms: SynthesizedAlarm[] = Object.values(stack.resource.aws_cloudwatch_metric_alarm ?? {}).map((alarm) => ({
    alarmName: resolver.text(String(alarm.alarm_name)),
    namespace: resolver.text(String(alarm.namespace)),
    metricName: resolver.text(String(alarm.metric_name)),
    dimensions: Object.fromEntries(Object.entries((alarm.dimensions ?? {}) as Record<string, string>).map(([k, v]) => [k, resolver.text(v)])),
  }));

  return { accountId: context.accountId, region, bucketName: resolver.text(String(buckets[0].bucket)), glueJobs, functions, crawlers, alarms };
}

const REFERENCE = /\$\{([^}]+)\}/g;

/** Resolves the Terraform references the lake's policies use: ARNs and names of its own resources, the account id. */
class ReferenceResolver {
  constructor(
    private readonly stack: StackJson,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  /** A string with every `${...}` reference replaced by its value. */
  text(value: string): string {
    return value.replace(REFERENCE, (_, expression: string) => this.resolve(expression.trim()));
  }

  /** A JSON string (a policy) with its references resolved, parsed. */
  json(value: string): unknown {
    return JSON.parse(this.text(value));
  }

  /** The logical id in `${<type>.<id>.<attribute>}`, checking the type. */
  referencedResource(value: string, type: string): string {
    const match = /^\$\{([\w-]+)\.([\w-]+)\.\w+\}$/.exec(value);
    if (!match || match[1] !== type) throw new Error(`expected a reference to a ${type}, got ${value}`);
    return match[2];
  }

  private resolve(expression: string): string {
    if (expression === "data.aws_caller_identity.current.account_id") return this.accountId;
    // The commercial partition, and the provider's region: what these data sources answer there.
    if (/^data\.aws_partition\.[\w-]+\.partition$/.test(expression)) return "aws";
    if (/^data\.aws_region\.[\w-]+\.(region|name)$/.test(expression)) return this.region;
    const match = /^([\w-]+)\.([\w-]+)\.(\w+)$/.exec(expression);
    if (!match) throw new Error(`cannot resolve the Terraform expression \${${expression}}`);
    const [, type, id, attribute] = match;
    const resource = this.stack.resource[type]?.[id];
    if (!resource) throw new Error(`\${${expression}} refers to a resource the stack does not have`);
    const attr = (name: string) => {
      const raw = resource[name];
      if (typeof raw !== "string") throw new Error(`\${${expression}}: ${type}.${id} has no literal "${name}"`);
      return this.text(raw);
    };
    const arns: Record<string, () => string> = {
      aws_s3_bucket: () => `arn:aws:s3:::${attr("bucket")}`,
      aws_iam_role: () => `arn:aws:iam::${this.accountId}:role/${attr("name")}`,
      aws_cloudwatch_log_group: () => `arn:aws:logs:${this.region}:${this.accountId}:log-group:${attr("name")}`,
      aws_lambda_function: () => `arn:aws:lambda:${this.region}:${this.accountId}:function:${attr("function_name")}`,
      aws_glue_job: () => `arn:aws:glue:${this.region}:${this.accountId}:job/${attr("name")}`,
    };
    if (attribute === "arn" && arns[type]) return arns[type]();
    // An id is the name for these resources (the bucket's id is its name, a role's id its name).
    const idAttribute: Record<string, string> = { aws_s3_bucket: "bucket", aws_iam_role: "name", aws_cloudwatch_log_group: "name" };
    if (attribute === "id" && idAttribute[type]) return attr(idAttribute[type]);
    if (typeof resource[attribute] === "string") return attr(attribute);
    throw new Error(`cannot resolve \${${expression}}: ${type}.${attribute} is only known after apply`);
  }
}
