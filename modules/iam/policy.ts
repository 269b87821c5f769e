/**
 * IAM policy documents as plain data. Policies are rendered to JSON in the
 * synthesized Terraform (not `aws_iam_policy_document` data sources) so a
 * pull request shows every statement, and tests can assert on them offline.
 */
export interface PolicyStatement {
  /** Statement id; a stable, readable name (`ReadRaw`). */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  /** Explicit actions only; `*` and `service:*` are rejected by {@link policyDocument}. */
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
  readonly Principal?: Record<string, string | string[]> | "*";
}

/** Renders statements as an IAM policy JSON string, refusing wildcard actions. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  for (const statement of statements) {
    const wildcard = statement.Action.find((action) => action === "*" || action.endsWith(":*"));
    if (wildcard && statement.Effect === "Allow") {
      throw new Error(`IAM statement ${statement.Sid} allows the wildcard action "${wildcard}"; name the actions it needs`);
    }
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The trust policy that lets one AWS service assume a role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** Words of any name, joined in PascalCase for a statement id: `curated/orders/` -> `CuratedOrders`. */
export function sidPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}
