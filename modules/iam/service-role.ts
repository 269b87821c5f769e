import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IAM_QUOTAS } from "./deployed-size";
import { PolicyStatements, type IGrantable } from "./grantable";
import { assumeRolePolicy, type PolicyStatement } from "./policy";

export interface ServiceRoleProps {
  /** Role name, unique in the account. */
  readonly roleName: string;
  /** The service principal allowed to assume it, e.g. `glue.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Statements of its one inline policy; grants add more ({@link IGrantable}).
   * @default [] - only what is granted later
   */
  readonly statements?: readonly PolicyStatement[];
  readonly description?: string;
  /**
   * What synth's error says to do when the grants outgrow what IAM lets one role carry.
   * @default "grant it fewer prefixes or split the work across roles"
   */
  readonly overflowAdvice?: string;
}

/**
 * A role for one AWS service with one inline, least-privilege policy. Inline
 * rather than AWS managed policies, so everything the role may do is in the
 * synthesized Terraform and in the PR diff. Grants made after the role is built
 * (by this library or by a user) land in the same policy: it is rendered at
 * synth. Grants beyond IAM's 10,240 characters of inline policy overflow into
 * customer managed policies of the role's own (`<role>-grants-<n>`, attached
 * to it alone), see {@link PolicyStatements}.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly role: IamRole;
  /** Its one inline policy: depend on it when a service checks the role's permissions as the role is handed over. */
  readonly policy: IamRolePolicy;
  readonly roleArn: string;
  readonly roleName: string;
  /** Managed policies the grants overflowed into, in order (none while the inline policy holds them). */
  readonly managedPolicies: IamPolicy[] = [];
  private readonly statements: PolicyStatements;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.statements = new PolicyStatements(this, `role ${props.roleName}`, (index, document) => {
      const policy = new IamPolicy(this, `grants-${index}`, {
        name: `${props.roleName}-grants-${index}`,
        description: `Grants of role ${props.roleName} beyond its inline policy (part ${index})`,
        policy: Lazy.stringValue({ produce: document }),
      });
      new IamRolePolicyAttachment(this, `grants-${index}-attachment`, { role: this.role.name, policyArn: policy.arn });
      this.managedPolicies.push(policy);
    }, props.overflowAdvice);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description === undefined ? undefined : withinRoleDescriptionLimit(props.description),
      assumeRolePolicy: assumeRolePolicy(props.servicePrincipal),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      name: `${props.roleName}-least-privilege`,
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => this.statements.document() }),
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.statements.add(...(props.statements ?? []));
  }


  addToPolicy(...statements: PolicyStatement[]): void {
    this.statements.add(...statements);
  }
}

export interface RoleGrantsProps {
  /** Name of the role the policy attaches to (e.g. `iamRole.name`). */
  readonly roleName: string;
  /** Its ARN (e.g. `iamRole.arn`). */
  readonly roleArn: string;
  /** Name of the inline policy; unique among the role's inline policies. @default - "<id>-grants" */
  readonly policyName?: string;
}

/**
 * Grants to a role made elsewhere (your own `IamRole`, or one in another
 * estate): one inline policy holding whatever this library's grant methods
 * add, rendered at synth. An empty policy is an error, as IAM would refuse it,
 * and so is one over IAM's 10,240 characters (the role's other inline policies
 * count against the same quota, which this construct cannot see).
 *
 *   const reader = new RoleGrants(this, "analyst", { roleName: role.name, roleArn: role.arn });
 *   lakehouse.catalog.tables.orders.grantRead(reader);
 */
export class RoleGrants extends Construct implements IGrantable {
  readonly roleArn: string;
  readonly policy: IamRolePolicy;
  private readonly statements: PolicyStatements;

  constructor(scope: Construct, id: string, props: RoleGrantsProps) {
    super(scope, id);
    this.roleArn = props.roleArn;
    this.statements = new PolicyStatements(this, `RoleGrants ${this.node.path}`);
    this.policy = new IamRolePolicy(this, "policy", {
      name: props.policyName ?? `${id}-grants`,
      role: props.roleName,
      policy: Lazy.stringValue({ produce: () => this.statements.document() }),
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.statements.add(...statements);
  }
}

/** A description IAM accepts: one that lists the prefixes of 200 datasets is cut, saying so (IAM allows ASCII only, so "..."). */
function withinRoleDescriptionLimit(description: string): string {
  const limit = IAM_QUOTAS.roleDescription;
  if (description.length <= limit) return description;
  const tail = ` ... (cut to IAM's ${limit.toLocaleString("en-US")} characters; the policies say exactly what it may do)`;
  return description.slice(0, limit - tail.length) + tail;
}
