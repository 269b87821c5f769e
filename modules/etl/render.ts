import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LakehouseConfig } from "../config";
import { renderConstants } from "./render/constants";

/**
 * Renders the Glue job scripts from the config.
 *
 * The templates in `templates/` are real Python files (lintable, testable);
 * each job template holds exactly one block between {@link GENERATED_BLOCK_BEGIN}
 * and {@link GENERATED_BLOCK_END}, and rendering replaces only that block with
 * constants generated from the config. `lakehouse_etl.py`, the shared library,
 * is shipped as is. Same config, same bytes.
 */

/** Folder of the Python templates (`batch_job.py`, `incremental_job.py`, `lakehouse_etl.py`). */
export const GLUE_TEMPLATE_DIR = join(__dirname, "templates");

export const GENERATED_BLOCK_BEGIN = "# --- BEGIN GENERATED CONSTANTS ---";
export const GENERATED_BLOCK_END = "# --- END GENERATED CONSTANTS ---";

/** The rendered files, by file name. On Glue the library ships with `--extra-py-files`. */
export interface GlueScripts {
  "batch_job.py": string;
  "incremental_job.py": string;
  "lakehouse_etl.py": string;
}

export type GlueScriptName = keyof GlueScripts;
export const GLUE_SCRIPT_NAMES: readonly GlueScriptName[] = ["batch_job.py", "incremental_job.py", "lakehouse_etl.py"];

/** Entry script of each job kind. */
export const GLUE_JOB_SCRIPTS = { batch: "batch_job.py", incremental: "incremental_job.py" } as const;
export type GlueJobKind = keyof typeof GLUE_JOB_SCRIPTS;

export function renderGlueScripts(config: LakehouseConfig): GlueScripts {
  const constants = renderConstants(config);
  return {
    "batch_job.py": fillGeneratedBlock(readTemplate("batch_job.py"), constants, "batch_job.py"),
    "incremental_job.py": fillGeneratedBlock(readTemplate("incremental_job.py"), constants, "incremental_job.py"),
    "lakehouse_etl.py": readTemplate("lakehouse_etl.py"),
  };
}

function readTemplate(name: GlueScriptName): string {
  return readFileSync(join(GLUE_TEMPLATE_DIR, name), "utf8").replace(/\r\n/g, "\n");
}

/** Replaces the lines between the markers (exclusive) with `constants`; the markers stay. */
export function fillGeneratedBlock(template: string, constants: string, name = "template"): string {
  const lines = template.split("\n");
  const begin = lines.filter((l) => l.trim() === GENERATED_BLOCK_BEGIN).length;
  const end = lines.filter((l) => l.trim() === GENERATED_BLOCK_END).length;
  if (begin !== 1 || end !== 1) {
    throw new Error(`${name} must contain exactly one "${GENERATED_BLOCK_BEGIN}" and one "${GENERATED_BLOCK_END}" line`);
  }
  const from = lines.findIndex((l) => l.trim() === GENERATED_BLOCK_BEGIN);
  const to = lines.findIndex((l) => l.trim() === GENERATED_BLOCK_END);
  if (to < from) throw new Error(`${name}: "${GENERATED_BLOCK_END}" comes before "${GENERATED_BLOCK_BEGIN}"`);
  return [...lines.slice(0, from + 1), ...constants.replace(/\n+$/, "").split("\n"), ...lines.slice(to)].join("\n");
}
