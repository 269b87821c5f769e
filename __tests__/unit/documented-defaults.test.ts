import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_COST_ASSUMPTIONS, runsPerMonth } from "../../modules/budget";
import { lakehouseConfigSchema } from "../../modules/config/schema";

/**
 * The defaults the README and `lakehouse ... --help` state are the schema's:
 * each stated figure is parsed out of the text and compared with what
 * `lakehouseConfigSchema` fills into a minimal config, so a default retyped in
 * prose that drifts from the schema fails here.
 */
const repo = join(__dirname, "..", "..");
const readme = readFileSync(join(repo, "README.md"), "utf8");
/** The README with line breaks and runs of spaces folded, so a sentence can wrap anywhere. */
const prose = readme.replace(/\s+/g, " ");
const defaults = lakehouseConfigSchema.parse({
  project: { name: "minimal", prefix: "minimal" },
  datasets: [{ name: "d", table: "d", columns: [{ name: "id", type: "string" }], primaryKey: ["id"] }],
});

/** The one capture of `pattern` in `text`; fails naming the pattern when the statement is gone. */
function stated(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`the statement ${pattern} is no longer in the text; update this test with the new wording`);
  return match[1];
}

const MB = 1024 ** 2;
const RUNS_PER_MONTH: Record<string, number> = { hourly: 730, daily: 730 / 24 };
const round1 = (value: number) => Math.round(value * 10) / 10;

describe("defaults in the README and --help are the schema's", () => {
  test("the README's stated defaults equal the schema's defaults", () => {
    const fromReadme = {
      "budget.monthlyUsd (What gets deployed)": Number(stated(prose, /monthly AWS Budgets cost budget \(\$(\d+(?:\.\d+)?) default\)/)),
      "budget.monthlyUsd (What it costs sample)": Number(stated(readme, /^dev: estimated \$[\d.]+\/month, within the \$([\d.]+) budget/m)),
      "budget.scope": stated(prose, /`budget\.scope: "(\w+)"`, the default/),
      "athena.bytesScannedCutoffPerQuery (What gets deployed)": Number(stated(prose, /(\d+) MB per-query scan cutoff/)) * MB,
      "athena.bytesScannedCutoffPerQuery (What it costs sample)": Number(stated(readme, /queries x (\d+) MB \(the cutoff/)) * MB,
      "ingestion.schedule runs per month": RUNS_PER_MONTH[stated(prose, /an (\w+) EventBridge rule/)],
      "ingestion.reservedConcurrency": Number(stated(prose, /`ingestion\.reservedConcurrency` is (\d+) by default/)),
      "glue.incrementalSchedule runs per month": round1(RUNS_PER_MONTH[stated(prose, /a (\w+) trigger for the incremental job/)]),
      "glue.incrementalSchedule runs per month (What it costs sample)": Number(stated(readme, /Glue incremental job\s+([\d.]+) runs x/)),
      "glue.workerType": stated(prose, /\((G\.\d+X) x \d+, timeout/),
      "glue.numberOfWorkers": Number(stated(prose, /\(G\.\d+X x (\d+), timeout/)),
      "glue.timeoutMinutes": Number(stated(prose, /timeout (\d+) min, \d+ retry/)),
      "glue.maxRetries": Number(stated(prose, /timeout \d+ min, (\d+) retry/)),
      "storage.athenaResultsExpirationDays": Number(stated(prose, /athena results (\d+) d\b/)),
      "storage.quarantineExpirationDays": Number(stated(prose, /quarantine (\d+) d\b/)),
      "storage.abortIncompleteUploadDays": Number(stated(prose, /incomplete uploads (\d+) d\b/)),
      "noncurrent version days (cost assumption, lifecycle)": Number(stated(prose, /old versions (\d+) d\b/)),
    };
    expect(fromReadme).toEqual({
      "budget.monthlyUsd (What gets deployed)": defaults.budget.monthlyUsd,
      "budget.monthlyUsd (What it costs sample)": defaults.budget.monthlyUsd,
      "budget.scope": defaults.budget.scope,
      "athena.bytesScannedCutoffPerQuery (What gets deployed)": defaults.athena.bytesScannedCutoffPerQuery,
      "athena.bytesScannedCutoffPerQuery (What it costs sample)": defaults.athena.bytesScannedCutoffPerQuery,
      "ingestion.schedule runs per month": runsPerMonth(defaults.ingestion.schedule),
      "ingestion.reservedConcurrency": defaults.ingestion.reservedConcurrency,
      "glue.incrementalSchedule runs per month": round1(runsPerMonth(defaults.glue.incrementalSchedule!)),
      "glue.incrementalSchedule runs per month (What it costs sample)": round1(runsPerMonth(defaults.glue.incrementalSchedule!)),
      "glue.workerType": defaults.glue.workerType,
      "glue.numberOfWorkers": defaults.glue.numberOfWorkers,
      "glue.timeoutMinutes": defaults.glue.timeoutMinutes,
      "glue.maxRetries": defaults.glue.maxRetries,
      "storage.athenaResultsExpirationDays": defaults.storage.athenaResultsExpirationDays,
      "storage.quarantineExpirationDays": defaults.storage.quarantineExpirationDays,
      "storage.abortIncompleteUploadDays": defaults.storage.abortIncompleteUploadDays,
      "noncurrent version days (cost assumption, lifecycle)": DEFAULT_COST_ASSUMPTIONS.noncurrentVersionDays,
    });
  });

  test("lakehouse cost --help states the schema's budget defaults", () => {
    const result = spawnSync(process.execPath, [join(repo, "bin", "lakehouse.js"), "cost", "--help"], { cwd: repo, encoding: "utf8" });
    expect(result.status).toBe(0);
    const help = result.stdout.replace(/\s+/g, " ");
    expect({
      "budget.monthlyUsd": Number(stated(help, /budget\.monthlyUsd monthly budget of each environment, default \$([\d.]+)/)),
      "budget.scope": stated(help, /budget\.scope what the AWS Budgets budget counts, default "(\w+)"/),
    }).toEqual({ "budget.monthlyUsd": defaults.budget.monthlyUsd, "budget.scope": defaults.budget.scope });
  });
});
