import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { assumeRolePolicy, policyDocument, type PolicyStatement } from "./policy";

export interface ServiceRoleProps {
  /** Role name, unique in the account. */
  readonly roleName: string;
  /** The service principal allowed to assume it, e.g. `glue.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** The only permissions the role gets: one inline policy, no managed policies. */
  readonly statements: readonly PolicyStatement[];
  readonly description?: string;
}

/**
 * A role for one AWS service with exactly one inline, least-privilege policy.
 * Inline rather than managed AWS policies, so everything the role may do is in
 * the synthesized Terraform and in the PR diff.
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy(props.servicePrincipal),
    });
    new IamRolePolicy(this, "policy", {
      name: `${props.roleName}-least-privilege`,
      role: this.role.id,
      policy: policyDocument(props.statements),
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
