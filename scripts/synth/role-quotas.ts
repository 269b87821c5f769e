/**
 * What each synthesized role carries, measured as IAM measures it (references
 * resolved to their longest values, whitespace excluded; see
 * `modules/iam/deployed-size.ts`), against IAM's default quotas. Read from a
 * synthesized `cdk.tf.json`, so it measures what Terraform will submit, not
 * what the constructs meant to build: the scale tests and `bench/scale.ts` use it.
 */
import { IAM_QUOTAS, resolvedLength } from "../../modules/iam/deployed-size";

/** The parts of a synthesized stack this reads. */
interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface RolePolicySizes {
  /** The role's `name` as synthesized (may hold references). */
  readonly roleName: string;
  readonly trustPolicy: number;
  /** All inline policies of the role together. */
  readonly inline: number;
  /** Each attached customer managed policy of the stack. */
  readonly managed: readonly number[];
}

/** Every role of the stack with its policy sizes. */
export function rolePolicySizes(stack: StackJson): RolePolicySizes[] {
  const resources = stack.resource ?? {};
  const roleId = (reference: unknown) => /^\$\{aws_iam_role\.([\w-]+)\.(name|id)\}$/.exec(String(reference))?.[1];
  const policyId = (reference: unknown) => /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(String(reference))?.[1];
  return Object.entries(resources.aws_iam_role ?? {}).map(([id, role]) => {
    const inline = Object.values(resources.aws_iam_role_policy ?? {})
      .filter((p) => roleId(p.role) === id)
      .reduce((sum, p) => sum + resolvedLength(String(p.policy)), 0);
    const managed = Object.values(resources.aws_iam_role_policy_attachment ?? {})
      .filter((a) => roleId(a.role) === id)
      .map((a) => {
        const policy = resources.aws_iam_policy?.[policyId(a.policy_arn) ?? ""];
        if (!policy) throw new Error(`role ${String(role.name)}: attachment of ${String(a.policy_arn)}, not a policy of this stack`);
        return resolvedLength(String(policy.policy));
      });
    return { roleName: String(role.name), trustPolicy: resolvedLength(String(role.assume_role_policy)), inline, managed };
  });
}

/** What about a role breaks one of IAM's quotas, or nothing. */
export function quotaProblems(role: RolePolicySizes): string[] {
  const problems: string[] = [];
  if (role.trustPolicy > IAM_QUOTAS.trustPolicy) problems.push(`trust policy ${role.trustPolicy} > ${IAM_QUOTAS.trustPolicy}`);
  if (role.inline > IAM_QUOTAS.inlinePoliciesPerRole) problems.push(`inline policies ${role.inline} > ${IAM_QUOTAS.inlinePoliciesPerRole}`);
  if (role.managed.length > IAM_QUOTAS.managedPoliciesPerRole) problems.push(`${role.managed.length} managed policies > ${IAM_QUOTAS.managedPoliciesPerRole}`);
  role.managed.forEach((size, i) => {
    if (size > IAM_QUOTAS.managedPolicy) problems.push(`managed policy ${i + 1}: ${size} > ${IAM_QUOTAS.managedPolicy}`);
  });
  return problems;
}
