import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import defaultConfig from "../../lakehouse.config";

/**
 * `-c/--config` means the same in every command and in `npm run synth`: a
 * path relative to the working directory, and without one the repository's
 * own lakehouse.config.ts, wherever the command runs from.
 */
const repo = join(__dirname, "..", "..");
const cli = join(repo, "bin", "lakehouse.js");
const fastSynth = join(repo, "scripts", "synth", "fast-synth.js");

/** Every command that reads the config, with arguments that make it stop early where it can. */
const COMMANDS: Record<string, string[]> = {
  synth: ["synth", "--quiet", "--out", "synth-out"],
  cost: ["cost", "--env", "dev"],
  modules: ["modules", "storage", "--out", "modules-out"],
  crawl: ["crawl", "--timeout", "1"],
  "job start": ["job", "start", "batch"],
  "job runs": ["job", "runs", "batch"],
  "local run": ["local", "run", "--lake", "lake", "--ticks", "0", "--orders", "10"],
  "local job": ["local", "job", "batch", "--lake", "lake"],
  "local query": ["local", "query", "--lake", "lake", "--sql", "select count(*) as n from orders", "--format", "csv"],
  "local report": ["local", "report", "--lake", "lake"],
};

let work: string;
let env: NodeJS.ProcessEnv;

/** `lakehouse <args>` (or another script) run in `cwd`, with AWS pointed at a closed loopback port. */
function run(cwd: string, args: string[], script = cli) {
  return spawnSync(process.execPath, [script, ...args], { cwd, env, encoding: "utf8" });
}

/** A working directory outside the repository with its own, invalid, lakehouse.config.ts. */
function foreignDir(): string {
  const dir = mkdtempSync(join(work, "cwd-"));
  writeFileSync(join(dir, "lakehouse.config.ts"), 'export default { project: { name: "not this one", prefix: "Not_This_One" }, datasets: [] };\n');
  return dir;
}
const THAT_CONFIG = /project\.prefix: must be 3-22 characters/;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "lakehouse-config-"));
  const port = await new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
  env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLOUD_ORGANIZATION: "" };
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_GLUE"]) delete env[name];
  Object.assign(env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_MAX_ATTEMPTS: "1" });
});

describe("-c/--config resolves one way in every command", () => {
  test("without -c every command reads the repository's lakehouse.config.ts, whatever the working directory holds", () => {
    const cwd = foreignDir();
    const fromRepo = run(repo, COMMANDS.cost);
    expect(fromRepo.status).toBe(0);
    const cost = run(cwd, COMMANDS.cost);
    expect({ status: cost.status, stdout: cost.stdout, stderr: cost.stderr }).toEqual({ status: 0, stdout: fromRepo.stdout, stderr: "" });

    // Resource names come from the repository's config (prefix "shoplake"), not from the working directory's.
    const prefix = `${defaultConfig.project.prefix}-dev`;
    expect(run(cwd, COMMANDS.synth)).toMatchObject({ status: 0, stderr: "" });
    const synthesized = readFileSync(join(cwd, "synth-out", "stacks", "lakehouse-dev", "cdk.tf.json"), "utf8");
    expect(synthesized).toContain(`"${prefix}-batch"`);
    expect(run(cwd, ["--quiet", "--out", "npm-synth-out"], fastSynth)).toMatchObject({ status: 0, stderr: "" });
    expect(readFileSync(join(cwd, "npm-synth-out", "stacks", "lakehouse-dev", "cdk.tf.json"), "utf8")).toBe(synthesized);
    expect(run(cwd, COMMANDS.modules)).toMatchObject({ status: 0, stderr: "" });
    // No AWS here: the ops commands fail at the first call, naming what the config names.
    expect(run(cwd, COMMANDS["job runs"]).stderr).toMatch(new RegExp(`^lakehouse: listing runs of Glue job ${prefix}-batch failed: could not reach`, "m"));
    expect(run(cwd, COMMANDS.crawl).stdout).toContain(`starting crawler ${prefix}-raw-crawler`);
    // A lake with the repository's (empty) orders table: the query names it as that config does.
    mkdirSync(join(cwd, "lake", "curated", "orders"), { recursive: true });
    expect(run(cwd, COMMANDS["local query"])).toMatchObject({ status: 0, stdout: "n\n0\n" });
  }, 240_000);

  test("-c is a path relative to the working directory in every command, the default file name included", () => {
    const cwd = foreignDir();
    mkdirSync(join(cwd, "nested"));
    writeFileSync(join(cwd, "nested", "other.json"), JSON.stringify({ ...defaultConfig, budget: { monthlyUsd: -1 } }));
    for (const [name, args] of Object.entries(COMMANDS)) {
      const result = run(cwd, [...args, "-c", "lakehouse.config.ts"]);
      expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 1, stderr: expect.stringMatching(THAT_CONFIG) });
    }
    const npmSynth = run(cwd, ["--quiet", "--out", "npm-synth-out", "-c", "lakehouse.config.ts"], fastSynth);
    expect({ status: npmSynth.status, stderr: npmSynth.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(THAT_CONFIG) });

    for (const args of [COMMANDS.synth, COMMANDS.cost, COMMANDS["job runs"], COMMANDS["local query"]]) {
      const result = run(cwd, [...args, "--config", join("nested", "other.json")]);
      expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 1, stderr: expect.stringMatching(/budget\.monthlyUsd/) });
    }
  }, 240_000);

  test("the repository's config named by a relative path, by its own name from the repository, or not at all is one config", () => {
    const cwd = foreignDir();
    const expected = run(repo, [...COMMANDS.cost, "--json"]);
    expect(expected.status).toBe(0);
    const spellings: [string, string[]][] = [
      [repo, ["-c", "lakehouse.config.ts"]],
      [repo, ["--config", "./lakehouse.config.ts"]],
      [cwd, []],
      [cwd, ["-c", relative(cwd, join(repo, "lakehouse.config.ts"))]],
    ];
    for (const [dir, config] of spellings) {
      const result = run(dir, [...COMMANDS.cost, "--json", ...config]);
      expect({ dir, config, status: result.status, stdout: result.stdout }).toEqual({ dir, config, status: 0, stdout: expected.stdout });
    }
  }, 120_000);
});
