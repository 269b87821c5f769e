/**
 * The CLI never deletes what it did not write, never uses another config than
 * the one it was given, and never answers a question about a lake that is not
 * there with an empty success. Each test runs the CLI as a person does, on a
 * temporary copy of the repository (never on the checkout), and checks the
 * exit code, the one-line message and that no file outside the command's own
 * output changed (a listing with hashes, before and after).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { changedPaths, copyRepository, type RepoCopy } from "../support/repo-copy";

let copy: RepoCopy;
beforeAll(() => {
  copy = copyRepository();
});
afterAll(() => copy.remove());

/** Runs `lakehouse <args>` in the copy and returns what a person sees, and which files changed. */
function lakehouse(args: string[], cwd?: string) {
  const before = copy.listing();
  const run = copy.lakehouse(args, cwd);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, changed: changedPaths(before, copy.listing()) };
}

/** In the copy, a file with these contents (folders made as needed); returns its path relative to the copy. */
function file(path: string, contents: string): string {
  mkdirSync(join(copy.root, path, ".."), { recursive: true });
  writeFileSync(join(copy.root, path), contents);
  return path;
}

/** The build cache (`build/`, git-ignored): commands that synthesize may fill it; it is no one's work. */
const outsideBuildCache = (paths: string[]) => paths.filter((p) => !p.startsWith("build/"));

describe("modules -o writes only into a folder it owns", () => {
  test("-o modules refuses the project's own modules/ folder, naming a file in it, and deletes nothing", () => {
    const run = lakehouse(["modules", "-o", "modules"]);
    expect(run).toMatchObject({ status: 1, stdout: "", changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: cannot write modules into modules: it holds modules\/\S+ and \d+ more, which lakehouse modules did not write; choose a new or empty folder\n$/);
  });

  test("-o . refuses the project root", () => {
    const run = lakehouse(["modules", "-o", "."]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toBe("lakehouse: cannot write modules into .: it is the project root; give a folder of its own, e.g. a new one below it\n");
  });

  test("-o .. refuses the folder that holds the project", () => {
    const run = lakehouse(["modules", "-o", ".."]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: cannot write modules into \.\.: it holds the project \(.+ is inside it\); give a folder of its own, e.g. a new one below it\n$/);
  });

  test("-o on a folder holding a user's file refuses it, naming the file, and leaves it as it was", () => {
    file("mine/notes.md", "my notes\n");
    const run = lakehouse(["modules", "storage", "-o", "mine"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toBe("lakehouse: cannot write modules into mine: it holds mine/notes.md, which lakehouse modules did not write; choose a new or empty folder\n");
    expect(readFileSync(join(copy.root, "mine", "notes.md"), "utf8")).toBe("my notes\n");
  });

  test("-o over its own earlier output replaces only its files there, and lists them in the marker", () => {
    const first = lakehouse(["modules", "storage", "-o", "dist/modules"]);
    expect(first.status).toBe(0);
    expect(outsideBuildCache(first.changed).every((p) => p.startsWith("dist/modules/"))).toBe(true);
    const marker = JSON.parse(readFileSync(join(copy.root, "dist", "modules", ".lakehouse-output.json"), "utf8")) as { files: Record<string, string> };
    expect(Object.keys(marker.files)).toEqual(["storage/README.md", "storage/main.tf.json"]);

    const again = lakehouse(["modules", "storage", "catalog", "-o", "dist/modules"]);
    expect(again).toMatchObject({ status: 0, stderr: "" });
    expect(outsideBuildCache(again.changed).filter((p) => !p.startsWith("dist/modules/"))).toEqual([]);
    expect(again.stdout).toMatch(/^dist\/modules\/storage: .*\ndist\/modules\/catalog: /);
  });

  test("a file it wrote and a person edited since is refused, and --force replaces it", () => {
    expect(lakehouse(["modules", "storage", "-o", "edited"]).status).toBe(0);
    file("edited/storage/README.md", "my edit\n");
    const refused = lakehouse(["modules", "storage", "-o", "edited"]);
    expect(refused).toMatchObject({ status: 1, changed: [] });
    expect(refused.stderr).toBe(
      "lakehouse: cannot write modules into edited: edited/storage/README.md changed since lakehouse modules wrote it; move your changes away, or rerun with --force to replace them\n",
    );
    const forced = lakehouse(["modules", "storage", "-o", "edited", "--force"]);
    expect(forced.status).toBe(0);
    expect(outsideBuildCache(forced.changed)).toEqual(["edited/storage/README.md"]);
  });
});

describe("synth and local run write only into their own folders", () => {
  test("synth -o modules refuses a folder that is not a synth output", () => {
    const run = lakehouse(["synth", "-q", "-o", "modules"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toMatch(
      /^lakehouse: cannot write the synthesized Terraform into modules: it holds modules\/\S+ and \d+ more, which lakehouse synth does not write \(a synth output holds manifest\.json and stacks\/\); choose a new or empty folder\n$/,
    );
  });

  test("synth -o . refuses the project root", () => {
    const run = lakehouse(["synth", "-q", "-o", "."]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toBe("lakehouse: cannot write the synthesized Terraform into .: it is the project root; give a folder of its own, e.g. a new one below it\n");
  });

  test("local run --lake refuses a folder that is not a lake, before any job runs", () => {
    const run = lakehouse(["local", "run", "--lake", "scripts"]);
    expect(run).toMatchObject({ status: 1, stdout: "", changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: cannot write a lake into scripts: it holds scripts\/\S+ and \d+ more, which lakehouse local run does not write \(a lake folder holds only _system, athena-results, curated, quality_reports, quarantine, raw, report\.html\); choose a new or empty folder\n$/);
  });

  test("local run --fresh refuses a lake folder holding a user's file, and removes nothing", () => {
    file("lake-with-notes/curated/orders/part-0.parquet", "not really parquet");
    file("lake-with-notes/notes.md", "mine\n");
    const run = lakehouse(["local", "run", "--fresh", "--lake", "lake-with-notes"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: cannot write a lake into lake-with-notes: it holds lake-with-notes\/notes\.md, which lakehouse local run does not write/);
  });
});

describe("the config given is the config used", () => {
  const COMMANDS: Record<string, string[]> = {
    synth: ["synth", "-q", "-o", "synth-out"],
    cost: ["cost"],
    modules: ["modules", "-o", "modules-out"],
    "local run": ["local", "run", "--lake", "lake-out"],
    "job runs": ["job", "runs", "batch"],
  };

  test("-c with a null config is refused naming the file, by every command alike (one loader)", () => {
    file("null.json", "null");
    for (const [command, args] of Object.entries(COMMANDS)) {
      const run = lakehouse([...args, "-c", "null.json"]);
      expect({ command, status: run.status, stderr: run.stderr, changed: run.changed }).toEqual({
        command,
        status: 1,
        stderr: "lakehouse: cannot use config file null.json: its value is null; it must hold the config object (see lakehouse.config.ts)\n",
        changed: [],
      });
    }
  });

  test.each([
    ["array.json", "[]", "its value is an array, not an object"],
    ["empty-object.json", "{}", "its value is an empty object"],
    ["empty.json", "", "it is empty"],
    ["undefined.config.ts", "export default undefined;\n", "its value is undefined (a .ts config default-exports the config)"],
    ["named-only.config.ts", "export const config = { project: {} };\n", "its value is undefined (a .ts config default-exports the config)"],
  ])("-c %s is refused naming the file and why", (name, contents, why) => {
    file(name, contents);
    const run = lakehouse(["synth", "-q", "-o", "synth-out", "-c", name]);
    expect(run).toMatchObject({
      status: 1,
      stderr: `lakehouse: cannot use config file ${name}: ${why}; it must hold the config object (see lakehouse.config.ts)\n`,
      changed: [],
    });
  });

  test("a JSON config that does not parse names the file, the line and the column", () => {
    file("bad.json", '{\n  "project": "a\tb"\n}\n');
    const run = lakehouse(["cost", "-c", "bad.json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("lakehouse: cannot parse config file bad.json at line 2, column 16: Bad control character in string literal\n");
  });

  test("field errors and cross-field errors are reported together, in one pass", () => {
    file(
      "two-errors.config.ts",
      `import base from "./lakehouse.config";
const config = structuredClone(base);
export default {
  ...config,
  budget: { ...config.budget, monthlyUsd: -1 },
  datasets: config.datasets.map((d) => (d.partitioning ? { ...d, partitioning: { ...d.partitioning, sourceColumn: "nope" } } : d)),
};
`,
    );
    const run = lakehouse(["cost", "-c", "two-errors.config.ts"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^ {2}- budget\.monthlyUsd: must be a positive number of US dollars$/m);
    expect(run.stderr).toMatch(/^ {2}- datasets\[\d\]\.partitioning\.sourceColumn: partition keys must derive from a timestamp or date column; "nope" is not one/m);
  });
});

describe("no silent empties from the local commands", () => {
  test("local query on a lake folder that does not exist is refused, and creates nothing", () => {
    const run = lakehouse(["local", "query", "--lake", ".lak", "--sql", "select count(*) from orders"]);
    expect(run).toMatchObject({ status: 1, stdout: "", changed: [] });
    expect(run.stderr).toBe('lakehouse: .lak does not exist; run "lakehouse local run" first, or give --lake the folder it wrote\n');
  });

  test("local query on a lake folder with no curated tables says to run the pipeline first", () => {
    mkdirSync(join(copy.root, "empty-lake", "raw"), { recursive: true });
    const run = lakehouse(["local", "query", "sql/daily_revenue.sql", "--lake", "empty-lake"]);
    expect(run).toMatchObject({ status: 1, stdout: "", changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: empty-lake has no curated\/ tables of this config \(.*orders.*\); run "lakehouse local run" first\n$/);
  });

  test("the Iceberg config against a Parquet lake is refused, naming both formats", () => {
    file("parquet-lake/curated/orders/year=2026/month=1/day=1/part-0.parquet", "x");
    const run = lakehouse(["local", "query", "sql/daily_revenue.sql", "--lake", "parquet-lake", "-c", "examples/iceberg/lakehouse.config.ts"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: parquet-lake holds \w+ as Parquet, but the config's datasets\[\d\]\.format is "iceberg" \(Iceberg\); use the config that wrote this lake/);
  });

  test("the Parquet config against an Iceberg lake is refused too", () => {
    file("iceberg-lake/curated/orders/metadata/00001-a.metadata.json", "{}");
    const run = lakehouse(["local", "report", "--lake", "iceberg-lake"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toMatch(/^lakehouse: iceberg-lake holds orders as Iceberg, but the config's datasets\[\d\]\.format is "parquet" \(Parquet\)/);
  });

  test("local job batch on a lake folder that does not exist is refused, and does not create it", () => {
    const run = lakehouse(["local", "job", "batch", "--lake", "no-such-lake"]);
    expect(run).toMatchObject({ status: 1, stdout: "", changed: [] });
    expect(run.stderr).toBe('lakehouse: no-such-lake does not exist; run "lakehouse local run" first, or give --lake the folder it wrote\n');
  });

  test("local report on a lake folder that does not exist is refused, and writes no report", () => {
    const run = lakehouse(["local", "report", "--lake", "missing"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toBe('lakehouse: missing does not exist; run "lakehouse local run" first, or give --lake the folder it wrote\n');
  });
});

describe("failures read lakehouse: <what failed>: <why>", () => {
  test("a SQL file that does not exist names the file and the reason", () => {
    const run = lakehouse(["local", "query", "sql/nope.sql"]);
    expect(run).toMatchObject({ status: 1, changed: [] });
    expect(run.stderr).toBe("lakehouse: cannot read SQL file sql/nope.sql: no such file or directory (ENOENT)\n");
  });

  test("an unknown module name is a usage error (exit 2) listing the allowed names", () => {
    const run = lakehouse(["modules", "bogus"]);
    expect(run).toMatchObject({ status: 2, changed: [] });
    expect(run.stderr).toMatch(/^error: command-argument value 'bogus' is invalid for argument 'names'\. Allowed choices are storage, catalog, analytics, budget, etl, lakehouse\.$/m);
  });

  test("modules -e with an environment the config does not declare is a usage error (exit 2) listing its environments", () => {
    const run = lakehouse(["modules", "-e", "nope", "-o", "never-written"]);
    expect(run).toMatchObject({ status: 2, changed: [] });
    expect(run.stderr).toMatch(/^error: option '-e, --environment <name>' argument 'nope' is invalid\. Allowed choices are dev, prod \(the config's environments\)\.$/m);
  });

  test("--version prints the package's version", () => {
    const version = (JSON.parse(readFileSync(join(copy.root, "package.json"), "utf8")) as { version: string }).version;
    expect(lakehouse(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n`, changed: [] });
  });
});

describe("the budget verdict follows the config", () => {
  /** The repository's config with an hourly incremental job: over the $5 dev budget. */
  const overBudget = (allow: boolean) =>
    file(
      `over-budget-${allow}.config.ts`,
      `import base from "./lakehouse.config";
export default { ...base, glue: { ...base.glue, incrementalSchedule: "cron(0 * * * ? *)" }, budget: { ...base.budget, allowOverBudget: ${allow} } };
`,
    );

  test("cost over budget with allowOverBudget: true warns on one line and exits 0, so npm start goes on", () => {
    const run = lakehouse(["cost", "--env", "dev", "-c", overBudget(true)]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/dev: estimated \$\d+\.\d\d\/month, OVER the \$5\.00 budget/);
    expect(run.stderr).toMatch(/^lakehouse: warning: dev is estimated at \$\d+\.\d\d\/month, over its \$5\.00 budget; going on because budget\.allowOverBudget is true\n$/);
  });

  test("cost over budget without it stops with one line saying what to change", () => {
    const run = lakehouse(["cost", "--env", "dev", "-c", overBudget(false)]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^lakehouse: over budget: dev is estimated at \$\d+\.\d\d\/month, over its \$5\.00 budget; lower the schedule, workers or run time, raise budget\.monthlyUsd, or set budget\.allowOverBudget: true\n$/);
  });
});
