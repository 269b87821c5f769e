import { diffPolicy } from "../../scripts/diff/policy";
import { diffValues, formatPair, lineDelta } from "../../scripts/diff/values";
import { categorize } from "../../scripts/diff/classify";
import type { BlockDiff } from "../../scripts/diff/stack-diff";

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/raw/*"] };

describe("IAM policy diff", () => {
  test("a new action and a new resource widen an Allow statement", () => {
    const [change] = diffPolicy("policy", [allow], [{ ...allow, Action: ["s3:GetObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::b/raw/*", "*"] }]);
    expect(change.widens).toEqual(["actions added `s3:DeleteObject`", "resources added `*` (all resources)"]);
    expect(change.narrows).toEqual([]);
  });

  test("a removed condition widens an Allow statement", () => {
    const scoped = { ...allow, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } };
    const [change] = diffPolicy("policy", [scoped], [allow]);
    expect(change.widens).toEqual(["condition removed `StringEquals aws:SourceAccount`"]);
  });

  test("removing a Deny statement widens, adding one narrows", () => {
    const deny = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: ["*"], Condition: { Bool: { "aws:SecureTransport": "false" } } };
    expect(diffPolicy("policy", [deny], [])[0]).toMatchObject({ status: "removed", widens: expect.arrayContaining([expect.stringContaining("`s3:*` (wildcard action)")]) });
    expect(diffPolicy("policy", [], [deny])[0]).toMatchObject({ status: "added", widens: [] });
  });

  test("a wildcard action is called out", () => {
    const [change] = diffPolicy("policy", [allow], [{ ...allow, Action: ["s3:*"] }]);
    expect(change.widens).toContain("actions added `s3:*` (wildcard action)");
  });

  test("a resource covering a whole bucket is called out, a prefix is not", () => {
    const [change] = diffPolicy("policy", [allow], [{ ...allow, Resource: ["arn:aws:s3:::b/raw/*", "arn:aws:s3:::b/curated/*", "${aws_s3_bucket.lake.arn}/*"] }]);
    expect(change.widens).toEqual(["resources added `arn:aws:s3:::b/curated/*`, `${aws_s3_bucket.lake.arn}/*` (whole bucket)"]);
  });

  test("statements are matched by Sid, not position", () => {
    const other = { ...allow, Sid: "Write", Action: ["s3:PutObject"] };
    expect(diffPolicy("policy", [allow, other], [other, allow])).toEqual([]);
  });

  test("a policy attribute is diffed by statement", () => {
    const changes = diffValues({ policy: policy(allow) }, { policy: policy({ ...allow, Action: ["s3:GetObject", "s3:PutObject"] }) });
    expect(changes).toEqual([expect.objectContaining({ kind: "statement", path: "policy", sid: "Read", widens: ["actions added `s3:PutObject`"] })]);
  });
});

describe("attribute diff", () => {
  test("lists of named blocks are matched by name, so an inserted column is one change", () => {
    const columns = [{ name: "a", type: "string" }, { name: "b", type: "int" }];
    const changes = diffValues({ columns }, { columns: [columns[0], { name: "new", type: "date" }, columns[1]] });
    expect(changes).toEqual([{ kind: "value", path: "columns[name=new]", before: undefined, after: { name: "new", type: "date" } }]);
  });

  test("lists of plain values report the items added and removed", () => {
    expect(diffValues({ actions: ["a", "b"] }, { actions: ["b", "c"] })).toEqual([{ kind: "items", path: "actions", added: ["c"], removed: ["a"] }]);
  });

  test("a JSON document inside a string is diffed by path", () => {
    const before = { configuration: JSON.stringify({ Version: 1, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } }) };
    const after = { configuration: JSON.stringify({ Version: 1, Grouping: { TableGroupingPolicy: "Other" } }) };
    expect(diffValues(before, after)).toEqual([{ kind: "value", path: "configuration → Grouping.TableGroupingPolicy", before: "CombineCompatibleSchemas", after: "Other" }]);
  });

  test("multi-line text is summarized, not printed", () => {
    expect(diffValues({ content: "a\nb\n" }, { content: "a\nc\nd\n" })).toEqual([{ kind: "text", path: "content", before: "a\nb\n", after: "a\nc\nd\n" }]);
    expect(lineDelta("a\nb\n", "a\nc\nd\n")).toEqual({ added: 2, removed: 1 });
  });

  test("long strings are elided around where they differ", () => {
    const stem = "x".repeat(100);
    // 16 characters of context either side of the part that differs ("old"/"new"; the hyphens are shared).
    const context = "x".repeat(15);
    expect(formatPair(`${stem}-old-${stem}`, `${stem}-new-${stem}`)).toEqual([`…${context}-old-${context}…`, `…${context}-new-${context}…`]);
  });
});

describe("categories", () => {
  const block = (type: string): BlockDiff => ({ address: `${type}.x`, type, status: "changed", changes: [] });

  test("encryption, Athena enforcement and security configurations are security-relevant on any resource", () => {
    for (const path of ["configuration.enforce_workgroup_configuration", "configuration.result_configuration.encryption_configuration.encryption_option", "security_configuration"]) {
      expect(categorize(block("aws_athena_workgroup"), { kind: "value", path, before: 1, after: 2 })).toBe("security");
    }
  });

  test("a Lambda package hash and a script object's content are assets", () => {
    expect(categorize(block("aws_lambda_function"), { kind: "value", path: "source_code_hash", before: "a", after: "b" })).toBe("asset");
    expect(categorize(block("aws_s3_object"), { kind: "text", path: "content", before: "a\n", after: "b\n" })).toBe("asset");
  });

  test("a role's description is not security-relevant, its trust policy is", () => {
    expect(categorize(block("aws_iam_role"), { kind: "value", path: "description", before: "a", after: "b" })).toBe("other");
    expect(categorize(block("aws_iam_role"), { kind: "value", path: "assume_role_policy → Version", before: "a", after: "b" })).toBe("security");
  });

  test("a crawler's schema change policy is not an IAM policy", () => {
    expect(categorize(block("aws_glue_crawler"), { kind: "value", path: "schema_change_policy.delete_behavior", before: "LOG", after: "DELETE_FROM_DATABASE" })).toBe("other");
  });
});
