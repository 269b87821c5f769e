import type { LakehouseConfig } from "../config";
import type { JobKind } from "../config/naming";
import { renderConstants } from "./render/constants";

/**
 * Renders the Glue job scripts from the config.
 *
 * The templates in `templates/` are real Python files (lintable, testable);
 * each job template holds exactly one block between {@link GENERATED_BLOCK_BEGIN}
 * and {@link GENERATED_BLOCK_END}, and rendering replaces only that block with
 * constants generated from the config. The `lakehouse_etl` package, the shared
 * library, is shipped as is. Same config and templates, same text.
 *
 * Pure: the caller reads the templates (`scripts/build/glue-templates.ts`) and
 * zips the library (`scripts/build/glue-library.ts`), so synth, the local
 * runner and the tests render from whatever copy they hold.
 */

export const GENERATED_BLOCK_BEGIN = "# --- BEGIN GENERATED CONSTANTS ---";
export const GENERATED_BLOCK_END = "# --- END GENERATED CONSTANTS ---";

/** Entry script of each job kind: its template's file name and the name it is uploaded and run under. */
export const GLUE_JOB_SCRIPTS = { batch: "batch_job.py", incremental: "incremental_job.py" } as const satisfies Record<JobKind, string>;

/** The `lakehouse_etl` package as Glue gets it: one zip in `--extra-py-files`, imported through zipimport. */
export const GLUE_LIBRARY_ZIP = "lakehouse_etl.zip";

/** The Python the scripts are rendered from. */
export interface GlueTemplates {
  readonly batch: string;
  readonly incremental: string;
  /** package-relative path (e.g. "lakehouse_etl/rules.py") -> text */
  readonly library: Readonly<Record<string, string>>;
}

/** The rendered entry scripts, and the library files that go into {@link GLUE_LIBRARY_ZIP}. */
export interface RenderedGlueScripts {
  readonly batch: string;
  readonly incremental: string;
  /** package-relative path (e.g. "lakehouse_etl/rules.py") -> text, as in the templates */
  readonly library: Readonly<Record<string, string>>;
}

export function renderGlueScripts(config: LakehouseConfig, templates: GlueTemplates): RenderedGlueScripts {
  const constants = renderConstants(config);
  return {
    batch: fillGeneratedBlock(templates.batch, constants, GLUE_JOB_SCRIPTS.batch),
    incremental: fillGeneratedBlock(templates.incremental, constants, GLUE_JOB_SCRIPTS.incremental),
    library: { ...templates.library },
  };
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
