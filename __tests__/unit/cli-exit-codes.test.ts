import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import defaultConfig from "../../lakehouse.config";

/** The exit codes `lakehouse --help` documents, each checked against what the CLI does. */
const repo = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "lakehouse-exit-"));

function lakehouse(args: string[], script = join(repo, "bin", "lakehouse.js")) {
  return spawnSync(process.execPath, [script, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
}

/** `code -> description` from the "Exit codes:" section of a help text. */
function documentedExitCodes(help: string): Map<number, string> {
  const section = help.split(/^Exit codes:$/m)[1] ?? "";
  const codes = new Map<number, string>();
  let last: number | undefined;
  for (const line of section.split("\n")) {
    const entry = /^ {2}(\d+) {2}(.*)$/.exec(line);
    if (entry) codes.set((last = Number(entry[1])), entry[2]);
    else if (last !== undefined && /^ {5}\S/.test(line)) codes.set(last, `${codes.get(last)} ${line.trim()}`);
  }
  return codes;
}

let documented: Map<number, string>;

beforeAll(() => {
  const help = lakehouse(["--help"]);
  expect(help.status).toBe(0);
  documented = documentedExitCodes(help.stdout);
});

describe("lakehouse exit codes", () => {
  test("the top-level --help documents exit codes 0, 1 and 2, and every command's help repeats them", () => {
    expect([...documented.keys()]).toEqual([0, 1, 2]);
    expect(documentedExitCodes(lakehouse(["local", "run", "--help"]).stdout)).toEqual(documented);
    expect(documentedExitCodes(lakehouse(["--help"], join(repo, "scripts", "synth", "fast-synth.js")).stdout)).toEqual(documented);
  });

  test("exit code 0 as documented: a command that succeeds, and --help", () => {
    expect(documented.get(0)).toMatch(/^success/);
    expect(lakehouse(["cost", "--env", "dev"])).toMatchObject({ status: 0, stderr: "" });
    expect(lakehouse(["help"]).status).toBe(0);
  });

  test("exit code 1 as documented: a config that cannot be read or loaded fails as `lakehouse: <what failed>: <why>`, naming the file and the cause", () => {
    expect(documented.get(1)).toMatch(/^failure, with "lakehouse: <what failed>: <why>" on stderr/);
    const missing = lakehouse(["cost", "-c", "missing.config.ts"]);
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({
      status: 1,
      stderr: "lakehouse: cannot read config file missing.config.ts: no such file or directory (ENOENT)\n",
    });
    writeFileSync(join(work, "throws.config.ts"), 'throw new Error("no config today");\n');
    const throwing = lakehouse(["synth", "-c", "throws.config.ts", "--out", "out"]);
    expect(throwing.status).toBe(1);
    expect(throwing.stderr).toMatch(/^lakehouse: could not load config file throws\.config\.ts: no config today/);
  });

  test("exit code 1 as documented: cost when an estimate exceeds its budget", () => {
    expect(documented.get(1)).toMatch(/`cost` when an estimate exceeds its budget/);
    writeFileSync(join(work, "small-budget.json"), JSON.stringify({ ...defaultConfig, budget: { monthlyUsd: 1 } }));
    const result = lakehouse(["cost", "--env", "dev", "-c", "small-budget.json"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/dev: estimated \$\d+\.\d\d\/month, OVER the \$1\.00 budget/);
  });

  test("exit code 2 as documented: a bad option value is commander's argument error naming the option", () => {
    expect(documented.get(2)).toMatch(/^usage error, with commander's message naming the option or argument: .*bad option value/);
    const cases: [string[], string][] = [
      [["local", "run", "--ticks", "abc"], "error: option '--ticks <n>' argument 'abc' is invalid. must be a whole number >= 0"],
      [["local", "run", "--dirty", "2"], "error: option '--dirty <rate>' argument '2' is invalid. must be a rate between 0 and 1"],
      [["local", "job", "batch", "--now", "yesterday"], "error: option '--now <iso>' argument 'yesterday' is invalid. must be an ISO-8601 time"],
      [["diff", "a", "b", "--max-length", "lots"], "error: option '--max-length <chars>' argument 'lots' is invalid. must be a whole number >= 1"],
    ];
    for (const [args, message] of cases) {
      const result = lakehouse(args);
      expect({ args, status: result.status, stderr: result.stderr.split("\n")[0] }).toEqual({ args, status: 2, stderr: expect.stringContaining(message) });
    }
  });

  test("exit code 2 as documented: an --env the config does not declare is rejected like a bad option value, listing the config's environments", () => {
    for (const args of [["cost", "--env", "qa"], ["job", "runs", "batch", "--env", "qa"]]) {
      const result = lakehouse(args);
      expect({ args, status: result.status, stderr: result.stderr.split("\n")[0] }).toEqual({
        args,
        status: 2,
        stderr: expect.stringMatching(/^error: option '(-e, )?--env <name>' argument 'qa' is invalid\. Allowed choices are dev, prod/),
      });
    }
  });

  test("exit code 2 as documented: an unknown command or option, also from npm run synth", () => {
    expect(documented.get(2)).toMatch(/unknown command or option/);
    expect(lakehouse(["nosuch"])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: unknown command 'nosuch'/) });
    expect(lakehouse(["cost", "--bogus"])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: unknown option '--bogus'/) });
    const npmSynth = lakehouse(["--bogus"], join(repo, "scripts", "synth", "fast-synth.js"));
    expect(npmSynth).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: unknown option '--bogus'/) });
  });
});
