import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
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
}

/**
 * A role for one AWS service with exactly one inline, least-privilege policy.
 * Inline rather than managed AWS policies, so everything the role may do is in
 * the synthesized Terraform and in the PR diff. Grants made after the role is
 * built (by this library or by a user) land in the same policy: it is rendered
 * at synth.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly role: IamRole;
  /** Its one inline policy: depend on it when a service checks the role's permissions as the role is handed over. */
  readonly policy: IamRolePolicy;
  readonly roleArn: string;
  readonly roleName: string;
  private readonly statements: PolicyStatements;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.statements = new PolicyStatements(`role ${props.roleName}`);
    this.statements.add(...(props.statements ?? []));
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy(props.servicePrincipal),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      name: `${props.roleName}-least-privilege`,
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => this.statements.document() }),
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
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
 * add, rendered at synth. An empty policy is an error, as IAM would refuse it.
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
    this.statements = new PolicyStatements(`RoleGrants ${this.node.path}`);
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
