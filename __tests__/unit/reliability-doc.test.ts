import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const repo = join(__dirname, "..", "..");
const doc = readFileSync(join(repo, "docs", "reliability.md"), "utf8");
const rows = doc.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| fault") && !line.startsWith("|---"));
const pytestSources = readdirSync(join(repo, "__tests__", "glue"))
  .filter((f) => f.endsWith(".py"))
  .map((f) => [f, readFileSync(join(repo, "__tests__", "glue", f), "utf8")] as const);

describe("docs/reliability.md", () => {
  test("has a row for every fault class the issue lists", () => {
    const classes = ["malformed CSV", "invalid JSON", "wrong types", "missing columns", "extra columns", "null keys", "duplicates", "late data", "future timestamps", "unknown foreign keys", "empty files", "huge single line", "non-UTF-8", "killed mid-write", "same millisecond", "rerun of the batch job", "rerun of the incremental job"];
    for (const name of classes) expect(rows.some((row) => row.toLowerCase().includes(name.toLowerCase()))).toBe(true);
  });

  test.each(rows.map((row) => [row.split("|")[1].trim(), row]))("the row \"%s\" names tests that exist", (_name, row) => {
    const testColumn = row.split("|")[3];
    const pytestNames = [...testColumn.matchAll(/(test_[a-z0-9_]+\.py)::(test_[a-z0-9_]+)/g)];
    const shortNames = [...testColumn.matchAll(/`\.\.\.\[([^\]]+)\]`/g)].map((m) => m[1]);
    const jestRefs = [...testColumn.matchAll(/`(__tests__\/[^`]+\.ts)`(?::\s*((?:"[^"]+"(?:,\s*)?)+))?/g)];
    expect(pytestNames.length + shortNames.length + jestRefs.length).toBeGreaterThan(0);
    for (const [, file, name] of pytestNames) {
      const source = pytestSources.find(([f]) => f === file)?.[1] ?? "";
      expect({ test: `${file}::${name}`, exists: source.includes(`def ${name}(`) }).toEqual({ test: `${file}::${name}`, exists: true });
    }
    for (const caseName of shortNames) {
      // `...[case]` refers to a case of the parametrized bad-order test.
      const batch = pytestSources.find(([f]) => f === "test_batch.py")![1];
      expect({ case: caseName, exists: batch.includes(`"${caseName}": (`) }).toEqual({ case: caseName, exists: true });
    }
    for (const [, file, quoted] of jestRefs) {
      const source = readFileSync(join(repo, file), "utf8");
      for (const [, title] of (quoted ?? "").matchAll(/"([^"]+)"/g)) {
        expect({ file, title, exists: source.includes(title) }).toEqual({ file, title, exists: true });
      }
    }
  });
});
