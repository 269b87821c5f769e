import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `npm test` (scripts/test.sh) is what CI runs, and it installs and runs everything itself. */
const repo = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(repo, path), "utf8");

/** The commands of a shell script: no comments, no blank lines. */
const commands = (script: string) =>
  script
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

/** The `step "..."` titles of scripts/test.sh with the command under each. */
function testSteps(): { title: string; run: string }[] {
  const lines = commands(read("scripts/test.sh"));
  return lines.flatMap((line, i) => {
    const title = /^step "(.*)"$/.exec(line)?.[1];
    return title ? [{ title, run: lines[i + 1] }] : [];
  });
}

/** A folder of stub commands; each stub appends its name and arguments to `log`. */
function stubs(log: string, scripts: Record<string, string>, links: string[] = []): string {
  const bin = mkdtempSync(join(tmpdir(), "lakehouse-stubs-"));
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  for (const tool of links) symlinkSync(join("/usr/bin", tool), join(bin, tool));
  return bin;
}

function bash(script: string, env: NodeJS.ProcessEnv) {
  return spawnSync("/bin/bash", [join(repo, script)], { cwd: repo, env, encoding: "utf8" });
}

describe("npm test is CI's test command", () => {
  test(".ci/run runs npm test and nothing else", () => {
    expect(commands(read(".ci/run"))).toEqual(["set -euo pipefail", 'cd "$(dirname "$0")/.."', "npm test"]);
  });

  test("npm test installs Chromium with scripts/setup-chromium.sh, on its own (apt allows one install at a time) and before any check", () => {
    const runs = testSteps().map((s) => s.run);
    const chromium = runs.indexOf("bash scripts/setup-chromium.sh");
    expect(chromium).toBeGreaterThanOrEqual(0);
    expect(chromium).toBeLessThan(runs.findIndex((run) => run.startsWith("install_side_by_side ")));
  });

  test("npm test runs the other installs side by side, every setup script among them, before any check", () => {
    const runs = testSteps().map((s) => s.run);
    const installs = runs.findIndex((run) => run.startsWith("install_side_by_side "));
    expect(runs[installs].split(" ").slice(1)).toEqual(["scripts/setup-node.sh", "scripts/setup-python.sh", "scripts/setup-checkov.sh", "scripts/setup-trino.sh", "scripts/setup-actionlint.sh", "scripts/setup-event-ruler.sh"]);
    expect(installs).toBeLessThan(runs.indexOf("npx tsc --noEmit"));
  });

  test("npm test installs actionlint and lints the GitHub workflows with it right after eslint", () => {
    const runs = testSteps().map((s) => s.run);
    expect(runs.findIndex((run) => run.includes("scripts/setup-actionlint.sh"))).toBeLessThan(runs.indexOf("npx tsc --noEmit"));
    expect(runs.indexOf("bash scripts/lint-workflows.sh")).toBe(runs.indexOf("npx eslint .") + 1);
    expect(read("scripts/lint-workflows.sh")).toMatch(/^actionlint="\$\(bash scripts\/setup-actionlint\.sh\)"$/m);
  });

  test("npm test keeps its steps, the new ones added, in order", () => {
    expect(testSteps().map((s) => s.run)).toEqual([
      "bash scripts/setup-chromium.sh",
      "install_side_by_side scripts/setup-node.sh scripts/setup-python.sh scripts/setup-checkov.sh scripts/setup-trino.sh scripts/setup-actionlint.sh scripts/setup-event-ruler.sh",
      "npx tsc --noEmit",
      "npx eslint .",
      "bash scripts/lint-workflows.sh",
      "npx jest --ci --maxWorkers=2",
      "bash scripts/security-scan.sh",
      ".venv/bin/python -m pytest __tests__/glue -q -p no:cacheprovider",
    ]);
  });

  test("setup-chromium.sh installs Debian's chromium when it is missing and apt-get may run: as root, or with password-less sudo", () => {
    for (const [uid, sudo] of [["0", "1"], ["1000", "0"]]) {
      const work = mkdtempSync(join(tmpdir(), "lakehouse-chromium-"));
      const log = join(work, "calls.log");
      const bin = stubs(log, { id: `echo ${uid}`, "apt-get": 'echo "  DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}" >> ' + `"${log}"`, sudo: `[[ $2 == true ]] && exit ${sudo}; shift; exec "$@"` }, ["env"]);
      const result = bash("scripts/setup-chromium.sh", { PATH: bin });
      expect({ uid, status: result.status, stderr: result.stderr }).toEqual({ uid, status: 0, stderr: "" });
      const calls = readFileSync(log, "utf8").split("\n");
      expect(calls.filter((line) => /^(apt-get|  DEBIAN_FRONTEND)/.test(line))).toEqual([
        "apt-get update -qq",
        "  DEBIAN_FRONTEND=",
        "apt-get install -y -qq chromium",
        "  DEBIAN_FRONTEND=noninteractive",
      ]);
      expect(calls.some((line) => line.startsWith("sudo -n env apt-get"))).toBe(uid !== "0");
    }
  });

  test("setup-chromium.sh leaves an installed chromium alone, and only warns where it may not install one", () => {
    const work = mkdtempSync(join(tmpdir(), "lakehouse-chromium-"));
    const log = join(work, "calls.log");
    const present = stubs(log, { chromium: "", id: "echo 0", "apt-get": "" }, ["env"]);
    expect(bash("scripts/setup-chromium.sh", { PATH: present })).toMatchObject({ status: 0, stdout: `setup-chromium: ${present}/chromium is installed\n` });
    const noRoot = stubs(log, { id: "echo 1000", sudo: "exit 1", "apt-get": "" }, ["env"]);
    const refused = bash("scripts/setup-chromium.sh", { PATH: noRoot });
    expect(refused).toMatchObject({ status: 0, stderr: expect.stringMatching(/warning: .*needs root or password-less sudo; the report browser test will be skipped/) });
    const failing = stubs(log, { id: "echo 0", "apt-get": "exit 100" }, ["env"]);
    expect(bash("scripts/setup-chromium.sh", { PATH: failing })).toMatchObject({ status: 0, stderr: expect.stringMatching(/warning: could not install chromium/) });
    expect(readFileSync(log, "utf8")).not.toMatch(/^apt-get install/m);
  });

  test("setup-actionlint.sh go-installs actionlint v1.7.12 with GOBIN in the lakehouse cache, and reuses it on the next run", () => {
    const work = mkdtempSync(join(tmpdir(), "lakehouse-actionlint-"));
    const log = join(work, "calls.log");
    const go = stubs(log, {
      go: '[[ $1 == version ]] && echo "go version go1.25.0 linux/amd64"; echo "  GOBIN=$GOBIN" >> ' + `"${log}"` + '; [[ $1 == install ]] && printf "#!/bin/bash\\necho v1.7.12\\n" > "$GOBIN/actionlint" && chmod +x "$GOBIN/actionlint"; exit 0',
    });
    const env = { PATH: `${go}:/usr/bin:/bin`, HOME: join(work, "home"), XDG_CACHE_HOME: join(work, "xdg") };
    const exe = join(work, "xdg", "lakehouse", "bin", "actionlint");
    const first = bash("scripts/setup-actionlint.sh", env);
    expect({ status: first.status, stdout: first.stdout }).toEqual({ status: 0, stdout: `${exe}\n` });
    expect(readFileSync(log, "utf8")).toContain(`go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12\n  GOBIN=${join(work, "xdg", "lakehouse", "bin")}\n`);
    const installs = readFileSync(log, "utf8");
    const second = bash("scripts/setup-actionlint.sh", env);
    expect({ status: second.status, stdout: second.stdout, stderr: second.stderr }).toEqual({ status: 0, stdout: `${exe}\n`, stderr: "setup-actionlint: actionlint v1.7.12 already installed\n" });
    expect(readFileSync(log, "utf8")).toBe(installs);
  });

  test("setup-actionlint.sh without go fails saying that Go is needed and for what", () => {
    const work = mkdtempSync(join(tmpdir(), "lakehouse-actionlint-"));
    const result = bash("scripts/setup-actionlint.sh", { PATH: "/usr/bin:/bin", HOME: work, XDG_CACHE_HOME: join(work, "xdg") });
    expect(existsSync("/usr/bin/go") || existsSync("/bin/go")).toBe(false);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^setup-actionlint: error: Go is not installed, and actionlint v1\.7\.12 is installed with it \(go install github\.com\/rhysd\/actionlint\/cmd\/actionlint@v1\.7\.12\)/);
    expect(result.stderr).toMatch(/Install Go 1\.25 or newer/);
  });

  test("the GitHub workflows pass actionlint", () => {
    const result = spawnSync("bash", [join(repo, "scripts", "lint-workflows.sh")], { cwd: repo, encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout }).toEqual({
      status: 0,
      stdout: "actionlint: no problems in .github/workflows/deploy.yml .github/workflows/pr.yml\n",
    });
  }, 300_000);
});
