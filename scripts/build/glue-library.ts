/**
 * The files a Glue deployment ships for the rendered scripts: the two entry
 * scripts and the `lakehouse_etl` package as one deterministic zip
 * (`lakehouse_etl.zip`, entries `lakehouse_etl/__init__.py`, ...), the form
 * Glue's `--extra-py-files` takes and Python imports through zipimport. The
 * local runners ship the same files, so a local job imports the library the
 * way a Glue job does.
 */
import { deterministicZip } from "../bundle/zip";
import { GLUE_JOB_SCRIPTS, GLUE_LIBRARY_ZIP, type RenderedGlueScripts } from "../../modules/etl/render";

/** The library zip: one entry per package file, named by its package-relative path; same files, same bytes. */
export function glueLibraryZip(library: RenderedGlueScripts["library"]): Promise<Buffer> {
  return deterministicZip(Object.entries(library).map(([name, text]) => ({ name, data: Buffer.from(text, "utf8") })));
}

/** File name -> bytes of everything that goes to the scripts folder: `batch_job.py`, `incremental_job.py`, `lakehouse_etl.zip`. */
export async function glueScriptFiles(scripts: RenderedGlueScripts): Promise<Record<string, Buffer>> {
  return {
    [GLUE_JOB_SCRIPTS.batch]: Buffer.from(scripts.batch, "utf8"),
    [GLUE_JOB_SCRIPTS.incremental]: Buffer.from(scripts.incremental, "utf8"),
    [GLUE_LIBRARY_ZIP]: await glueLibraryZip(scripts.library),
  };
}
