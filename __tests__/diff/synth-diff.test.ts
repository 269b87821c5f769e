import { renderDiff } from "../../scripts/diff/markdown";
import { diffTrees, type StackDiff } from "../../scripts/diff/stack-diff";
import { loadSynthTree } from "../../scripts/diff/tree";
import { synthTree } from "../support/synth-tree";

const base = synthTree();
const diff = (head: string): { stacks: StackDiff[]; markdown: string } => {
  const stacks = diffTrees(loadSynthTree(base), loadSynthTree(head));
  return { stacks, markdown: renderDiff(stacks) };
};

/** The text of one `#### heading` section of the Markdown. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`#### ${heading}`);
  if (start < 0) return "";
  const next = markdown.indexOf("\n#### ", start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe("lakehouse diff on synthesized trees", () => {
  test("identical trees print no changes", () => {
    const { stacks, markdown } = diff(synthTree());
    expect(stacks.map((s) => s.status)).toEqual(["unchanged"]);
    expect(markdown).toMatch(/No changes/);
  });

  describe("a new raw dataset widens the crawler's IAM statements", () => {
    const { stacks, markdown } = diff(
      synthTree((config) => {
        config.datasets.push({
          name: "returns",
          table: "returns",
          columns: [
            { name: "return_id", type: "string" },
            { name: "order_id", type: "string" },
          ],
          primaryKey: ["return_id"],
        });
      }),
    );

    test("the widened statement is flagged as security-relevant, and the security heading comes first", () => {
      const security = section(markdown, "Security-relevant changes");
      expect(security).toMatch(/\*\*widens\*\* `policy` statement `ReadCrawledPrefixes` \(Allow, changed\): resources added `arn:\$\{data\.aws_partition\.aws-partition\.partition\}:s3:::[^`]+\/raw\/returns\/\*`/);
      expect(security).toMatch(/statement `ReadCrawledPrefixesList` \(Allow, changed\): condition `StringLike s3:prefix` values added `raw\/returns\/\*`$/m);
      const headings = [...markdown.matchAll(/^#### (.+)$/gm)].map((m) => m[1]);
      expect(headings[0]).toBe("Security-relevant changes");
    });

    test("the first security item is a widening one", () => {
      const firstItem = section(markdown, "Security-relevant changes").split("\n- ")[1];
      expect(firstItem).toMatch(/\*\*widens\*\*/);
    });

    test("the statement change records what it widens", () => {
      const policy = stacks[0].blocks.find((b) => b.type === "aws_iam_role_policy" && b.label === "shoplake-dev-raw-crawler-least-privilege")!;
      const statement = policy.changes.find((c) => c.kind === "statement" && c.sid === "ReadCrawledPrefixes");
      expect(statement).toMatchObject({ kind: "statement", status: "changed", narrows: [] });
    });

    test("the new table is listed as added", () => {
      expect(section(markdown, "Other changes")).toMatch(/\*\*Added\*\*[\s\S]*`aws_glue_catalog_table\.[^`]*table-returns[^`]*` \(returns\)/);
    });
  });

  describe("switching the lake to SSE-KMS", () => {
    const { markdown } = diff(synthTree((config) => (config.storage = { kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/abcd" })));
    const security = section(markdown, "Security-relevant changes");

    test("the bucket encryption change is flagged as security-relevant", () => {
      expect(security).toMatch(/`aws_s3_bucket_server_side_encryption_configuration\.[^`]+`/);
      expect(security).toContain('`rule[0].apply_server_side_encryption_by_default.sse_algorithm`: `"AES256"` -> `"aws:kms"`');
    });

    test("the Athena result encryption change is flagged as security-relevant", () => {
      expect(security).toContain('`configuration.result_configuration.encryption_configuration.encryption_option`: `"SSE_S3"` -> `"SSE_KMS"`');
    });

    test("the KMS statements added to the roles are flagged as widening", () => {
      expect(security).toMatch(/\*\*widens\*\* `policy` statement `ReadCrawledPrefixesKms` \(Allow, added\): actions `kms:Decrypt`/);
    });
  });

  describe("a new column", () => {
    const { markdown } = diff(
      synthTree((config) => {
        config.datasets.find((d) => d.name === "orders")!.columns.push({ name: "discount", type: "decimal(10,2)" });
      }),
    );

    test("shows as a changed aws_glue_catalog_table attribute path", () => {
      const other = section(markdown, "Other changes");
      expect(other).toMatch(/- `aws_glue_catalog_table\.[^`]*table-orders[^`]*` \(orders\)\n  - `storage_descriptor\.columns\[name=discount\]`: `\(none\)` -> `\{"name":"discount","type":"decimal\(10,2\)"\}`/);
    });

    test("is not security-relevant", () => {
      expect(section(markdown, "Security-relevant changes")).toBe("");
    });

    test("changes the rendered Glue scripts, listed by name under scripts and assets", () => {
      const assets = section(markdown, "Scripts and assets");
      expect(assets).toMatch(/\(_system\/scripts\/batch_job\.py\)\n  - `content`: \d+ -> \d+ lines \(\+\d+ −\d+\), sha256 [0-9a-f]{12} -> [0-9a-f]{12}/);
    });
  });

  test("a renamed table lists the new resource as added and the old one as removed", () => {
    const { markdown } = diff(
      synthTree((config) => {
        config.datasets.find((d) => d.name === "products")!.table = "products_dim";
      }),
    );
    const other = section(markdown, "Other changes");
    expect(other).toMatch(/\*\*Added\*\* \(\d+\)\n\n(- .*\n)*- `aws_glue_catalog_table\.[^`]*table-products_dim[^`]*` \(products_dim\)/);
    expect(other).toMatch(/\*\*Removed\*\* \(\d+\)\n\n(- .*\n)*- `aws_glue_catalog_table\.[^`]*table-dim_products[^`]*` \(dim_products\)/);
  });

  test("the summary table counts each stack's changes", () => {
    const { markdown } = diff(synthTree((config) => (config.budget = { monthlyUsd: 7, alertEmails: ["data-team@example.com"] })));
    expect(markdown).toContain("| `lakehouse-dev` | 0 | 0 | 1 | 0 |");
    expect(markdown).toContain('`limit_amount`: `"5.00"` -> `"7.00"`');
  });
});
