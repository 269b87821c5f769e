/**
 * What a local lake folder is, and the checks the `lakehouse local` commands
 * make before they touch one: a run writes only into a folder that is missing,
 * empty or already a lake; a job, a query or a report refuses a folder that is
 * not there or holds nothing to read, instead of answering with zeros; and a
 * lake written with one table format is not read with the other.
 *
 * A lake folder is recognised by its top: the zones of {@link ZONES}, the first
 * folder of `storage.systemPrefix`, and `report.html`; nothing else.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { ZONES } from "../../modules/config/naming";
import type { LakehouseConfig } from "../../modules/config/schema";
import { lakeJobsOfKind, type JobKind } from "../../modules/config/naming";
import { checkFolderShape, OutputRefusedError, protectedFolderProblem } from "../lib/owned-output";

/** The page `lakehouse local report` writes at the top of a lake folder. */
export const LOCAL_REPORT_FILE = "report.html";

/** The entries at the top of a lake folder of this config. */
export function lakeEntries(config: Pick<LakehouseConfig, "storage">): Set<string> {
  const zones = Object.values(ZONES).map((zone) => zone.replace(/\/$/, ""));
  const systemTop = config.storage.systemPrefix.split("/")[0];
  return new Set([...zones, ...(systemTop ? [systemTop] : []), LOCAL_REPORT_FILE]);
}

/** How a lake folder is named to a person, and the project it must stay out of. */
export interface LakeFolderOptions {
  /** The folder as given (`--lake .lake`), for messages. */
  readonly shown: string;
  readonly projectRoot: string;
}

/**
 * Refuses a lake folder that `local run` must not write into: the project root
 * or a folder above it, one whose top holds anything but lake entries, or one
 * whose tables are in the other table format than the config's.
 */
export function checkLakeToWrite(config: LakehouseConfig, lakeDir: string, options: LakeFolderOptions): void {
  checkLakeShape(config, lakeDir, options);
  if (existsSync(lakeDir)) checkTableFormats(config, lakeDir, options);
}

function checkLakeShape(config: LakehouseConfig, lakeDir: string, options: LakeFolderOptions): void {
  const entries = lakeEntries(config);
  checkFolderShape(lakeDir, {
    command: "lakehouse local run",
    what: "a lake",
    shown: options.shown,
    projectRoot: options.projectRoot,
    isOwnEntry: (name) => entries.has(name),
    expected: `a lake folder holds only ${[...entries].sort().join(", ")}`,
  });
}

/**
 * Empties a lake folder for `local run --fresh`: removes its lake entries, after
 * the folder's top was found to hold nothing else (its tables may be in either
 * format: emptying is how a lake changes format). Returns what it removed.
 */
export function emptyLakeFolder(config: LakehouseConfig, lakeDir: string, options: LakeFolderOptions): string[] {
  checkLakeShape(config, lakeDir, options);
  if (!existsSync(lakeDir)) return [];
  const removed = readdirSync(lakeDir).filter((name) => lakeEntries(config).has(name)).sort();
  for (const name of removed) rmSync(join(lakeDir, name), { recursive: true, force: true });
  return removed;
}

/** What `local query` and `local report` read: the config's curated tables, written in the config's table format. */
export function checkLakeToRead(config: LakehouseConfig, lakeDir: string, options: LakeFolderOptions): void {
  checkExistingLake(lakeDir, options);
  const tables = config.datasets.filter((d) => existsSync(join(lakeDir, ZONES.curated, d.table)));
  if (tables.length === 0) {
    throw new OutputRefusedError(
      `${options.shown} has no ${ZONES.curated} tables of this config (${config.datasets.map((d) => d.table).join(", ")}); run "lakehouse local run" first`,
    );
  }
  checkTableFormats(config, lakeDir, options);
}

/** What `local job <kind>` reads: raw files of the kind's datasets, in a lake whose tables are in the config's format. */
export function checkLakeForJob(config: LakehouseConfig, lakeDir: string, job: JobKind, options: LakeFolderOptions): void {
  checkExistingLake(lakeDir, options);
  const problem = protectedFolderProblem(lakeDir, options.projectRoot);
  if (problem) throw new OutputRefusedError(`cannot run the ${job} job on ${options.shown}: ${problem}; give --lake the folder "lakehouse local run" wrote`);
  const datasets = lakeJobsOfKind(job, config.datasets, config.glue.datasetsPerJob).flatMap((j) => j.datasets);
  const rawDir = join(lakeDir, ZONES.raw);
  const withInput = existsSync(rawDir) ? readdirSync(rawDir).filter((entry) => hasFiles(join(rawDir, entry))) : [];
  if (withInput.length === 0) {
    throw new OutputRefusedError(
      `${options.shown} has no files in ${ZONES.raw} for the ${job} job (datasets ${datasets.join(", ")}); run "lakehouse local run" first (it seeds ${ZONES.raw}), or put the input files there`,
    );
  }
  checkTableFormats(config, lakeDir, options);
}

function checkExistingLake(lakeDir: string, options: LakeFolderOptions): void {
  if (!existsSync(lakeDir)) {
    throw new OutputRefusedError(`${options.shown} does not exist; run "lakehouse local run" first, or give --lake the folder it wrote`);
  }
  if (!statSync(lakeDir).isDirectory()) throw new OutputRefusedError(`${options.shown} is a file, not a lake folder; give --lake the folder "lakehouse local run" wrote`);
  // Reads and jobs leave other entries alone (they only write into the zones), so a folder holding more is not refused here.
}

/** Refuses a lake whose tables were written in the other table format than the config declares. */
function checkTableFormats(config: LakehouseConfig, lakeDir: string, options: LakeFolderOptions): void {
  config.datasets.forEach((dataset, index) => {
    const tableDir = join(lakeDir, ZONES.curated, dataset.table);
    if (!existsSync(tableDir)) return;
    const held = lakeTableFormat(tableDir);
    if (held === dataset.format) return;
    throw new OutputRefusedError(
      `${options.shown} holds ${dataset.table} as ${FORMAT_NAMES[held]}, but the config's datasets[${index}].format is "${dataset.format}" (${FORMAT_NAMES[dataset.format]}); ` +
        `use the config that wrote this lake, give --lake another folder, or rerun "lakehouse local run --fresh"`,
    );
  });
}

const FORMAT_NAMES = { parquet: "Parquet", iceberg: "Iceberg" } as const;

/** The format a curated table's folder is written in: Iceberg keeps `metadata/*.metadata.json` beside its data. */
export function lakeTableFormat(tableDir: string): "parquet" | "iceberg" {
  const metadata = join(tableDir, "metadata");
  return existsSync(metadata) && readdirSync(metadata).some((f) => f.endsWith(".metadata.json")) ? "iceberg" : "parquet";
}

function hasFiles(path: string): boolean {
  if (!statSync(path).isDirectory()) return true;
  return readdirSync(path).some((entry) => hasFiles(join(path, entry)));
}
