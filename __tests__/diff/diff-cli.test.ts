import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIFF_FILE_MARKER } from "../../scripts/diff/markdown";
import { synthTree } from "../support/synth-tree";

const repo = join(__dirname, "..", "..");

function lakehouse(args: string[]) {
  return spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLOUD_ORGANIZATION: "" },
  });
}

describe("lakehouse diff", () => {
  test("compares two cdktf.out folders, prints Markdown and writes it to a file", () => {
    const base = synthTree();
    const head = synthTree((config) => (config.athena = { bytesScannedCutoffPerQuery: 209_715_200 }));
    const output = join(tmpdir(), `lakehouse-diff-${process.pid}.md`);
    const result = lakehouse(["diff", base, head, "--output", output]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("`configuration.bytes_scanned_cutoff_per_query`: `104857600` -> `209715200`");
    expect(readFileSync(output, "utf8")).toBe(`${DIFF_FILE_MARKER}\n${result.stdout}`);
  });

  test("--output refuses to replace a file it did not write, and leaves it as it was", () => {
    const mine = join(mkdtempSync(join(tmpdir(), "lakehouse-diff-")), "notes.md");
    writeFileSync(mine, "# my notes\n");
    const result = lakehouse(["diff", synthTree(), synthTree(), "--output", mine]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `lakehouse: cannot write the diff into ${mine}: it exists and lakehouse diff did not write it (its first line is not ${DIFF_FILE_MARKER}); give a new file name\n`,
    );
    expect(readFileSync(mine, "utf8")).toBe("# my notes\n");
  });

  test("synthesizes a git ref in a temporary worktree and removes the worktree afterwards", () => {
    const worktrees = () => execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
    const before = worktrees();
    // One commit, resolved once: HEAD may move while the test runs.
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
    const result = lakehouse(["diff", commit, commit]);
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.stdout).toMatch(/No changes/);
    expect(worktrees()).toBe(before);
  });

  test("an argument that is neither a synth folder nor a commit fails with a clear message", () => {
    const result = lakehouse(["diff", "no-such-ref-or-folder", "HEAD"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/"no-such-ref-or-folder" is neither a synthesized folder .* nor a git commit/);
  });
});
