/**
 * Reads the Glue job templates from disk for `renderGlueScripts`, which is pure
 * (`modules/etl/render.ts`): the two entry scripts and every `.py` of the
 * `lakehouse_etl` package, with line endings normalised to `\n` so a checkout
 * with CRLF renders the same bytes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GLUE_JOB_SCRIPTS, type GlueTemplates } from "../../modules/etl/render";

/** Folder of the Python templates: `batch_job.py`, `incremental_job.py` and the `lakehouse_etl/` package. */
export const GLUE_TEMPLATE_DIR = join(__dirname, "..", "..", "modules", "etl", "templates");

/** The package folder under the template folder; also the top folder of every entry in the library zip. */
const LIBRARY_PACKAGE = "lakehouse_etl";

export function readGlueTemplates(dir: string = GLUE_TEMPLATE_DIR): GlueTemplates {
  const read = (path: string) => readFileSync(path, "utf8").replace(/\r\n/g, "\n");
  const library: Record<string, string> = {};
  for (const path of pythonFiles(join(dir, LIBRARY_PACKAGE))) library[relative(dir, path).split("\\").join("/")] = read(path);
  if (!library[`${LIBRARY_PACKAGE}/__init__.py`]) throw new Error(`${join(dir, LIBRARY_PACKAGE)} is not a Python package: no __init__.py`);
  return {
    batch: read(join(dir, GLUE_JOB_SCRIPTS.batch)),
    incremental: read(join(dir, GLUE_JOB_SCRIPTS.incremental)),
    library,
  };
}

/** Every `.py` file under `dir`, sorted by path (bytecode in `__pycache__/` is `.pyc`: left out). */
function pythonFiles(dir: string): string[] {
  const found = readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return pythonFiles(path);
    return entry.isFile() && entry.name.endsWith(".py") ? [path] : [];
  });
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
