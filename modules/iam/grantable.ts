import type { PolicyStatement } from "./policy";

/**
 * Something permissions can be granted to, in the aws-cdk manner: a grant
 * method (`storage.grantRead(role, ...)`, `table.grantRead(role)`) builds the
 * scoped statements and adds them to the grantee's policy, instead of handing
 * statements back for the caller to merge.
 *
 * Implemented by {@link ServiceRole} (the roles this library creates) and by
 * {@link RoleGrants} (a role created elsewhere).
 */
export interface IGrantable {
  /** ARN of the role the statements end up on. */
  readonly roleArn: string;
  /** Adds statements to the grantee's one inline policy; their `Sid`s must be unique in it. */
  addToPolicy(...statements: PolicyStatement[]): void;
}

/**
 * The statements of one inline policy, collected from grants until synth.
 * Statements keep the order they were added in, so the rendered policy (and
 * the plan) changes only when a grant does; a repeated `Sid` fails synth,
 * because IAM would reject the policy at deploy time.
 */
export class PolicyStatements {
  private readonly statements: PolicyStatement[] = [];

  constructor(private readonly owner: string) {}

  add(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (this.statements.some((s) => s.Sid === statement.Sid)) {
        throw new Error(`${this.owner}: a statement with Sid "${statement.Sid}" was already granted; pass a different sid`);
      }
      this.statements.push(statement);
    }
  }

  get all(): readonly PolicyStatement[] {
    return this.statements;
  }
}
