/**
 * The Python that runs the local parts (pyspark for the Glue scripts, moto for the AWS APIs):
 * `$LAKEHOUSE_PYTHON`, else the repository's `.venv` that `bash scripts/setup-python.sh` creates.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root (where `.venv/` and `glue_local/` live). */
export const REPO_ROOT = resolve(__dirname, "..", "..");

/**
 * The interpreter to use, or `explicit` when given; fails, naming what it is needed for,
 * when a path is given or defaulted and nothing is there.
 */
export function localPython(explicit?: string, neededFor = "the local run"): string {
  const python = explicit ?? process.env.LAKEHOUSE_PYTHON ?? join(REPO_ROOT, ".venv", "bin", "python");
  if (!existsSync(python) && python.includes("/")) {
    throw new Error(`no Python at ${python} for ${neededFor}; run "bash scripts/setup-python.sh" to create .venv`);
  }
  return python;
}
