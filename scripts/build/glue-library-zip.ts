/**
 * The Glue library zip for synth, which is synchronous: the last build when
 * its content key still matches (a hash of the package files, no zip work),
 * else a fresh zip made in a child process (yazl streams, synth cannot wait).
 *
 *   echo '{"lakehouse_etl/__init__.py": "..."}' | tsx scripts/build/glue-library-zip.ts --out FILE
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { FileArtifact } from "../../modules/artifact";
import { GLUE_LIBRARY_ZIP, type RenderedGlueScripts } from "../../modules/etl/render";
import { glueLibraryZip } from "./glue-library";

const REPO_ROOT = resolve(__dirname, "..", "..");
/** Where built library zips are kept, one per content key. */
export const GLUE_LIBRARY_BUILD_DIR = join(REPO_ROOT, "build", "glue");

/** The library as a zip file on disk, built only when its files changed. */
export function glueLibraryZipSync(library: RenderedGlueScripts["library"], buildDir: string = GLUE_LIBRARY_BUILD_DIR): FileArtifact {
  const path = join(buildDir, contentKey(library), GLUE_LIBRARY_ZIP);
  if (!existsSync(path)) {
    try {
      // This file by its folder, not `__filename`: inside the bundled synth `__filename` is the bundle.
      execFileSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(__dirname, "glue-library-zip.ts"), "--out", path], {
        input: JSON.stringify(library),
        stdio: ["pipe", "ignore", "pipe"],
        encoding: "utf8",
      });
    } catch (error) {
      throw new Error(`zipping the Glue library into ${path} failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
  }
  return { path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

/** Names and contents of the files, plus the zip library's version: what the zip's bytes depend on. */
function contentKey(library: RenderedGlueScripts["library"]): string {
  const hash = createHash("sha256").update(`yazl ${require("yazl/package.json").version}\0`);
  for (const name of Object.keys(library).sort()) hash.update(name).update("\0").update(library[name]).update("\0");
  return hash.digest("hex").slice(0, 16);
}

async function main(argv: string[]): Promise<void> {
  const out = argv[argv.indexOf("--out") + 1];
  if (!argv.includes("--out") || !out) throw new Error("usage: tsx scripts/build/glue-library-zip.ts --out FILE (package files as JSON on stdin)");
  const library = JSON.parse(readFileSync(0, "utf8")) as RenderedGlueScripts["library"];
  const zip = await glueLibraryZip(library);
  mkdirSync(dirname(out), { recursive: true });
  // Temporary sibling, then rename: parallel test workers never see half a zip.
  const temporary = `${out}.${process.pid}.tmp`;
  writeFileSync(temporary, zip);
  renameSync(temporary, out);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`glue-library-zip: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
