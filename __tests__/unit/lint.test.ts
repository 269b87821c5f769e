import { spawnSync } from "node:child_process";
import { join } from "node:path";

const repo = join(__dirname, "..", "..");

/** Lints a snippet as if it were a file under modules/, with the project's own config. */
function ruleIdsFor(code: string): (string | null)[] {
  const result = spawnSync(
    process.execPath,
    [join(repo, "node_modules", "eslint", "bin", "eslint.js"), "--stdin", "--stdin-filename", "modules/example.ts", "--format", "json"],
    { cwd: repo, input: code, encoding: "utf8" },
  );
  return JSON.parse(result.stdout)[0].messages.map((m: { ruleId: string | null }) => m.ruleId);
}

describe("lint rules", () => {
  test("the provider barrel import is an error", () => {
    expect(ruleIdsFor('import { s3Bucket } from "@cdktf/provider-aws";\nexport const x = s3Bucket;\n')).toEqual(["no-restricted-imports"]);
  });

  test("a deep import of one resource is allowed", () => {
    expect(ruleIdsFor('import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";\nexport const x = S3Bucket;\n')).toEqual([]);
  });
});
