import { policyDocument, type PolicyStatement } from "./policy";

/** IAM's limit on the inline policies of one role, together, in characters (whitespace aside). */
export const INLINE_POLICY_LIMIT = 10_240;

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
 * the plan) changes only when a grant does. Granting the same statement
 * twice is harmless (the second is dropped, as in the aws-cdk); a different
 * statement under a used `Sid`, a `Sid` IAM would refuse, an empty policy or
 * one over {@link INLINE_POLICY_LIMIT} fails synth instead of the deploy.
 */
export class PolicyStatements {
  private readonly statements: PolicyStatement[] = [];

  constructor(private readonly owner: string) {}

  add(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (!/^[A-Za-z0-9]+$/.test(statement.Sid)) {
        throw new Error(`${this.owner}: Sid "${statement.Sid}" must be letters and digits only, as IAM requires`);
      }
      const same = this.statements.find((s) => s.Sid === statement.Sid);
      if (same && JSON.stringify(same) === JSON.stringify(statement)) continue;
      if (same) throw new Error(`${this.owner}: a different statement with Sid "${statement.Sid}" was already granted; pass a different sid`);
      this.statements.push(statement);
    }
  }

  /**
   * The policy document of every statement. The size is checked before
   * references are resolved (a reference such as a bucket name counts as its
   * placeholder), so this catches the clear cases; IAM has the last word.
   */
  document(): string {
    if (this.statements.length === 0) throw new Error(`${this.owner}: nothing was granted; an empty inline policy is invalid in IAM`);
    const document = policyDocument(this.statements);
    if (document.length > INLINE_POLICY_LIMIT) {
      throw new Error(
        `${this.owner}: its inline policy is ${document.length} characters, over IAM's ${INLINE_POLICY_LIMIT} for a role's inline policies; grant fewer prefixes or split the access across roles`,
      );
    }
    return document;
  }
}
