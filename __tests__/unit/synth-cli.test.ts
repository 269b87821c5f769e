import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";

const repo = join(__dirname, "..", "..");

function runCli(args: string[]) {
  return spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), ...args], { cwd: repo, encoding: "utf8" });
}

describe("lakehouse synth", () => {
  const dir = mkdtempSync(join(tmpdir(), "lakehouse-cli-"));

  test("a config with a bad field exits non-zero naming the field and what is allowed", () => {
    const bad = structuredClone(defaultConfig) as any;
    bad.glue.version = "3.0";
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(bad));
    const result = runCli(["synth", "--config", file, "--out", join(dir, "out")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/glue\.version: .*"5\.0"/);
  });

  test("a good config prints a summary of what was synthesized", () => {
    const result = runCli(["synth", "--out", join(dir, "good")]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/aws_glue_catalog_table\s*│\s*3\s*│\s*3/);
    expect(result.stdout).toMatch(/synthesized into/);
  });
});
