import type { IConstruct } from "constructs";
import { deployedLength, IAM_QUOTAS } from "./deployed-size";
import { policyDocument, type PolicyStatement } from "./policy";

/**
 * Something permissions can be granted to, in the aws-cdk manner: a grant
 * method (`storage.grantRead(role, ...)`, `table.grantRead(role)`) builds the
 * scoped statements and adds them to the grantee's policy, instead of handing
 * statements back for the caller to merge. A grantee is a construct, so a
 * grant can build ARNs with the partition of the grantee's stack.
 *
 * Implemented by {@link ServiceRole} (the roles this library creates) and by
 * {@link RoleGrants} (a role created elsewhere).
 */
export interface IGrantable extends IConstruct {
  /** ARN of the role the statements end up on. */
  readonly roleArn: string;
  /** Adds statements to the grantee's policies; their `Sid`s must be unique among them. */
  addToPolicy(...statements: PolicyStatement[]): void;
}

/** `{"Version":"2012-10-17","Statement":[]}`: what a document weighs before its statements. */
const EMPTY_DOCUMENT_LENGTH = policyDocument([]).length;

/** One policy document being filled: the inline policy, or one of the managed policies it overflows into. */
interface PolicySlot {
  readonly statements: PolicyStatement[];
  /** Its length as deployed (see {@link deployedLength}). */
  length: number;
  readonly limit: number;
}

/**
 * The statements granted to one role, packed into the policies IAM lets a
 * role carry, until synth renders them.
 *
 * Statements fill the role's inline policy first, in the order they were
 * granted; what does not fit goes into customer managed policies
 * (`openManagedPolicy` creates each, at most {@link IAM_QUOTAS}.managedPoliciesPerRole),
 * the first with room taking it. A statement larger than a managed policy is
 * split by its resources (or its condition's values) into parts `Sid`,
 * `SidPart2`, ... that grant together exactly what it grants. Sizes are
 * measured as IAM measures them, on the policy as deployed: references
 * resolved to the longest values they can take. So the inline policy stays as
 * it was for a role that fits, and a role that cannot fit fails synth naming
 * the role, instead of the deploy.
 *
 * Granting the same statement twice is harmless (the second is dropped, as in
 * the aws-cdk); a different statement under a used `Sid`, a `Sid` IAM would
 * refuse, or an empty policy fails synth.
 */
export class PolicyStatements {
  private readonly granted: PolicyStatement[] = [];
  /** How many parts each split statement has so far, by its Sid. */
  private readonly parts = new Map<string, number>();
  private readonly slots: PolicySlot[] = [{ statements: [], length: EMPTY_DOCUMENT_LENGTH, limit: IAM_QUOTAS.inlinePoliciesPerRole }];

  /**
   * @param scope where the statements' references resolve (the role's construct)
   * @param owner how errors name the role, e.g. `role shoplake-dev-batch-job`
   * @param openManagedPolicy creates managed policy number `index` (1, 2, ...) rendering `document` at synth, attached to the role
   * @param overflowAdvice what the error says to do when the grants outgrow the role
   */
  constructor(
    private readonly scope: IConstruct,
    private readonly owner: string,
    private readonly openManagedPolicy?: (index: number, document: () => string) => void,
    private readonly overflowAdvice = "grant it fewer prefixes or split the work across roles",
  ) {}

  add(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (!/^[A-Za-z0-9]+$/.test(statement.Sid)) {
        throw new Error(`${this.owner}: Sid "${statement.Sid}" must be letters and digits only, as IAM requires`);
      }
      const same = this.granted.find((s) => s.Sid === statement.Sid);
      if (same && JSON.stringify(same) === JSON.stringify(statement)) continue;
      if (same) throw new Error(`${this.owner}: a different statement with Sid "${statement.Sid}" was already granted; pass a different sid`);
      this.granted.push(statement);
      this.place(statement);
    }
  }

  /** The inline policy document. An empty policy is invalid in IAM. */
  document(): string {
    if (this.granted.length === 0) throw new Error(`${this.owner}: nothing was granted; an empty inline policy is invalid in IAM`);
    return policyDocument(this.slots[0].statements);
  }

  private place(statement: PolicyStatement): void {
    const length = this.lengthOf(statement);
    const existing = this.slots.find((slot) => this.room(slot) >= length);
    if (existing) return this.put(existing, statement, length);
    // Small statements open a policy of their own; a long one (a list of many prefixes) fills the
    // last policy's room first and goes on in the next, so policies are full before another is opened.
    if (length <= IAM_QUOTAS.managedPolicy / 4) {
      const slot = this.openSlot(length);
      return this.put(slot, statement, length);
    }
    const last = this.slots[this.slots.length - 1];
    const count = splittableCount(statement);
    let fit = 0;
    for (let low = 1, high = count - 1; low <= high; ) {
      const k = Math.floor((low + high) / 2);
      if (this.lengthOf(splitStatementAt(statement, k, "X")![0]) <= this.room(last)) {
        fit = k;
        low = k + 1;
      } else {
        high = k - 1;
      }
    }
    if (fit > 0) {
      const [head, rest] = splitStatementAt(statement, fit, this.nextPartSid(statement.Sid))!;
      this.put(last, head, this.lengthOf(head));
      return this.place(rest);
    }
    if (EMPTY_DOCUMENT_LENGTH + length <= IAM_QUOTAS.managedPolicy) {
      const slot = this.openSlot(length);
      return this.put(slot, statement, length);
    }
    if (count < 2) {
      throw new Error(`${this.owner}: statement ${statement.Sid} is ${length} characters as deployed, more than one IAM policy holds (${IAM_QUOTAS.managedPolicy}); grant it fewer resources`);
    }
    this.openSlot(0);
    this.place(statement);
  }

  /** What a slot can still take, for a statement of its own (the comma before it included). */
  private room(slot: PolicySlot): number {
    return slot.limit - slot.length - (slot.statements.length > 0 ? 1 : 0);
  }

  private put(slot: PolicySlot, statement: PolicyStatement, length: number): void {
    slot.length += length + (slot.statements.length > 0 ? 1 : 0);
    slot.statements.push(statement);
  }

  private lengthOf(statement: PolicyStatement): number {
    return deployedLength(this.scope, JSON.stringify(statement));
  }

  /** `ReadInputsPart2`, `ReadInputsPart3`, ...: unique names for the parts of a split statement. */
  private nextPartSid(sid: string): string {
    const base = sid.replace(/Part\d+$/, "");
    const n = (this.parts.get(base) ?? 1) + 1;
    this.parts.set(base, n);
    return `${base}Part${n}`;
  }

  private openSlot(needed: number): PolicySlot {
    const index = this.slots.length;
    if (!this.openManagedPolicy || index > IAM_QUOTAS.managedPoliciesPerRole) {
      const total = this.slots.reduce((sum, s) => sum + s.length, 0) + needed;
      const room = this.openManagedPolicy
        ? `${IAM_QUOTAS.inlinePoliciesPerRole} characters inline and ${IAM_QUOTAS.managedPoliciesPerRole} managed policies of ${IAM_QUOTAS.managedPolicy}`
        : `${IAM_QUOTAS.inlinePoliciesPerRole} characters inline`;
      throw new Error(`${this.owner}: its grants, ${total}+ characters as deployed, do not fit what IAM lets one role carry (${room}); ${this.overflowAdvice}`);
    }
    const slot: PolicySlot = { statements: [], length: EMPTY_DOCUMENT_LENGTH, limit: IAM_QUOTAS.managedPolicy };
    this.slots.push(slot);
    this.openManagedPolicy(index, () => policyDocument(slot.statements));
    return slot;
  }
}

/** How many items the list a statement would be split along has: its resources, else its one multi-valued condition's values. */
function splittableCount(statement: PolicyStatement): number {
  if (statement.Resource.length > 1) return statement.Resource.length;
  const values = singleConditionValues(statement);
  return values ? values.value.length : 1;
}

function singleConditionValues(statement: PolicyStatement): { operator: string; key: string; value: string[] } | undefined {
  const keys = Object.entries(statement.Condition ?? {}).flatMap(([operator, values]) =>
    Object.entries(values).map(([key, value]) => ({ operator, key, value })),
  );
  if (keys.length !== 1 || !Array.isArray(keys[0].value)) return undefined;
  return { operator: keys[0].operator, key: keys[0].key, value: keys[0].value };
}

/**
 * Two statements that together grant what `statement` grants: its first
 * `count` resources and the rest, or (for a statement on one resource, such as
 * `s3:ListBucket` on the bucket) the values of its one multi-valued condition
 * split the same way. The first keeps the Sid, the second gets `secondSid`.
 * Undefined when neither list has more than `count` items.
 */
export function splitStatementAt(statement: PolicyStatement, count: number, secondSid: string): [PolicyStatement, PolicyStatement] | undefined {
  if (count < 1) return undefined;
  if (statement.Resource.length > 1) {
    if (statement.Resource.length <= count) return undefined;
    return [
      { ...statement, Resource: statement.Resource.slice(0, count) },
      { ...statement, Sid: secondSid, Resource: statement.Resource.slice(count) },
    ];
  }
  const values = singleConditionValues(statement);
  if (!values || values.value.length <= count) return undefined;
  const { operator, key, value } = values;
  const withValues = (list: string[], sid: string): PolicyStatement => ({ ...statement, Sid: sid, Condition: { [operator]: { [key]: list } } });
  return [withValues(value.slice(0, count), statement.Sid), withValues(value.slice(count), secondSid)];
}
