import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative } from "node:path";

const repo = join(__dirname, "..", "..");

function synthInto(checkout: string, outdir: string): void {
  execFileSync(process.execPath, ["scripts/synth/fast-synth.js", "--out", outdir, "--quiet"], {
    cwd: checkout,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLOUD_ORGANIZATION: "" },
  });
}

function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** A second checkout at another path: the tracked sources copied, node_modules linked. */
function secondCheckout(): string {
  const copy = mkdtempSync(join(tmpdir(), "lakehouse-checkout-"));
  const tracked = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: repo, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of tracked) cpSync(join(repo, file), join(copy, file), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"));
  return copy;
}

describe("deterministic synth", () => {
  const scratch = mkdtempSync(join(tmpdir(), "lakehouse-synth-"));
  let checkout: string;
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  });

  test("two synths of the same config give byte-identical output", () => {
    synthInto(repo, join(scratch, "a"));
    synthInto(repo, join(scratch, "b"));
    const a = filesUnder(join(scratch, "a"));
    const b = filesUnder(join(scratch, "b"));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file)!)).toBe(true);
  });

  test("a checkout at another path synthesizes the same bytes", () => {
    checkout = secondCheckout();
    synthInto(checkout, join(scratch, "other"));
    const here = filesUnder(join(scratch, "a"));
    const there = filesUnder(join(scratch, "other"));
    expect([...there.keys()]).toEqual([...here.keys()]);
    for (const [file, bytes] of here) expect({ file, same: bytes.equals(there.get(file)!) }).toEqual({ file, same: true });
  });

  test("the output names no machine path", () => {
    for (const [file, bytes] of filesUnder(join(scratch, "a"))) {
      const text = bytes.toString("utf8");
      const machinePaths = [repo, scratch, homedir()].filter((path) => text.includes(path));
      expect({ file, machinePaths }).toEqual({ file, machinePaths: [] });
    }
  });
});
