/**
 * Refusals a person reads: one line naming the role or the field and what to
 * do, exit 1, no JavaScript stack trace unless --debug or LAKEHOUSE_DEBUG=1
 * asks for one. Run through the CLI as a person runs it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "lakehouse-refusals-"));
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function synth(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), "synth", "-q", "-o", join(work, "out"), ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
  });
}

/** 200 datasets in jobs of 100: the batch role's grants outgrow what IAM lets one role carry. */
const tooLargeJobs = join(work, "too-large-jobs.ts");
writeFileSync(
  tooLargeJobs,
  `import { scaleConfig } from ${JSON.stringify(join(repo, "examples", "scale", "scale-config"))};
const config = scaleConfig(200);
export default { ...config, glue: { ...config.glue, datasetsPerJob: 100 }, budget: { ...config.budget, allowOverBudget: true } };
`,
);
const badSchema = join(work, "bad-schema.json");
writeFileSync(badSchema, JSON.stringify({ project: { name: "x", prefix: "shop" }, datasets: [], glue: { datasetsPerJob: 0 } }));

describe("refusals print one line and no stack trace", () => {
  test("a role whose grants cannot fit IAM's quotas names the role and the setting to change", () => {
    const run = synth(["-c", tooLargeJobs]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^lakehouse: role shoplake-dev-batch-job: its grants, \d+\+ characters as deployed, do not fit what IAM lets one role carry \(10240 characters inline and 10 managed policies of 6144\); give each job fewer datasets \(datasetsPerJob, now 100; glue.datasetsPerJob in the config\)$/,
      ),
    ]);
  });

  test("a schema error names each bad field, one line each, without a stack trace", () => {
    const run = synth(["-c", badSchema]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^lakehouse: Invalid lakehouse config:\n {2}- datasets: /);
    expect(run.stderr).toMatch(/^ {2}- glue\.datasetsPerJob: must be at least 1$/m);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  test("a config path that does not exist is one line naming the file", () => {
    const run = synth(["-c", "nope.ts"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("lakehouse: cannot read config file nope.ts: no such file or directory (ENOENT)\n");
  });

  test("--debug adds the stack trace, and so does LAKEHOUSE_DEBUG=1", () => {
    const flagged = synth(["-c", "nope.ts", "--debug"]);
    expect(flagged.status).toBe(1);
    expect(flagged.stderr.split("\n")[0]).toBe("lakehouse: cannot read config file nope.ts: no such file or directory (ENOENT)");
    expect(flagged.stderr).toMatch(STACK_FRAME);
    expect(synth(["-c", "nope.ts"], { LAKEHOUSE_DEBUG: "1" }).stderr).toMatch(STACK_FRAME);
  });
});
