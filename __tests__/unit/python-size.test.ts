import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const repo = join(__dirname, "..", "..");
const MAX_LINES = 400;

/**
 * The repository's Python files: tracked and new ones, as `.gitignore` leaves them (no
 * virtualenvs, lakes or build output); a file deleted from the working tree is gone.
 */
function pythonFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "*.py"], { cwd: repo, encoding: "utf8" });
  return [...new Set(listed.split("\0").filter(Boolean))].filter((file) => existsSync(join(repo, file))).sort();
}

/** Lines as `wc -l` counts them: line breaks. */
const lineCount = (file: string) => (readFileSync(join(repo, file), "utf8").match(/\n/g) ?? []).length;

describe("Python files stay small enough to read whole", () => {
  test("the Glue library and the entry scripts are among the files checked", () => {
    expect(pythonFiles()).toEqual(expect.arrayContaining(["modules/etl/templates/batch_job.py", "modules/etl/templates/lakehouse_etl/__init__.py"]));
  });

  test(`no Python file is over ${MAX_LINES} lines`, () => {
    const tooLong = pythonFiles()
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });
});
