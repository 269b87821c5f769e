/**
 * Output folders, and what a command may replace in them: only what it wrote
 * itself. A command run in a person's repository must never delete their work,
 * so every command that writes a folder asks here first.
 *
 * Two kinds of output:
 * - {@link OwnedOutputFolder}: a folder whose files a command replaces (`lakehouse
 *   modules`). It carries a marker, {@link OUTPUT_MARKER}, listing every file the
 *   command wrote with its SHA-256. A folder with a file the marker does not
 *   list, or without a marker, is refused; so is a file edited since it was
 *   written, unless `force` says to replace it. Files it did not write are never
 *   touched, `force` or not.
 * - {@link checkFolderShape}: a folder that holds only the entries a command
 *   writes at its top (a synth output: `manifest.json`, `stacks/`; a lake folder:
 *   its zones). Commands that add to such a folder without deleting what others
 *   put inside it (cdktf's `.terraform/` beside a stack) use this one.
 *
 * Neither ever writes into {@link protectedFolderProblem}'s folders: the project
 * root or a folder above it, a git work tree's top, the home folder, `/`.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, parse, relative, resolve, sep } from "node:path";

/** The file in an {@link OwnedOutputFolder} that lists what its command wrote. */
export const OUTPUT_MARKER = ".lakehouse-output.json";

/** A refused output folder; the message is one line naming the folder, why, and what to do. */
export class OutputRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputRefusedError";
  }
}

/** Who writes, and how the folder is named to a person. */
export interface OutputFolderOptions {
  /** The command that writes, as a person types it: `lakehouse modules`. */
  readonly command: string;
  /** What it writes there, for messages: `modules`, `the synthesized Terraform`. */
  readonly what: string;
  /** The folder as the person gave it (`-o modules`), for messages. @default - the path */
  readonly shown?: string;
  /** The project the command belongs to: never written into, nor any folder above it. */
  readonly projectRoot: string;
}

/** Why no command may write into `dir`, or `undefined` when it may (its contents are checked apart). */
export function protectedFolderProblem(dir: string, projectRoot: string): string | undefined {
  const path = resolve(dir);
  const root = resolve(projectRoot);
  if (path === parse(path).root) return "it is the filesystem root";
  if (path === resolve(homedir())) return "it is your home folder";
  if (path === root) return "it is the project root";
  if (isBelow(root, path)) return `it holds the project (${root} is inside it)`;
  if (path.split(sep).includes(".git")) return "it is inside a .git folder";
  if (existsSync(join(path, ".git"))) return "it is the top of a git work tree";
  return undefined;
}

/**
 * Refuses `dir` unless it is missing, empty, or every entry at its top is one
 * the command writes (`isOwnEntry`): a synth output, a lake folder. Entries
 * below those are not checked, and nothing is deleted.
 */
export function checkFolderShape(dir: string, options: OutputFolderOptions & { readonly isOwnEntry: (name: string) => boolean; readonly expected: string }): void {
  refuseProtected(dir, options);
  if (!existsSync(dir)) return;
  refuseNonFolder(dir, options);
  const foreign = readdirSync(dir)
    .sort()
    .filter((name) => !options.isOwnEntry(name));
  if (foreign.length > 0) {
    throw refusal(options, dir, `it holds ${listed(foreign.map((name) => join(shownDir(dir, options), name)))}, which ${options.command} does not write (${options.expected}); choose a new or empty folder`);
  }
}

interface MarkerContents {
  readonly writtenBy: string;
  readonly note: string;
  /** `/`-separated path below the folder -> SHA-256 of the bytes written. */
  readonly files: Record<string, string>;
}

/**
 * A folder a command owns: it replaces its own earlier files there and records
 * each write in {@link OUTPUT_MARKER}. Open it with {@link OwnedOutputFolder.open},
 * which refuses a folder holding anything else.
 */
export class OwnedOutputFolder {
  private constructor(
    readonly dir: string,
    private readonly options: OutputFolderOptions,
    private readonly files: Map<string, string>,
  ) {}

  /**
   * Opens `dir` for writing. Refused, with a one-line {@link OutputRefusedError}:
   * a protected folder; a file; a folder holding a file the marker does not
   * list (or any file, without a marker); a listed file edited since, unless
   * `force`.
   */
  static open(dir: string, options: OutputFolderOptions & { readonly force?: boolean }): OwnedOutputFolder {
    refuseProtected(dir, options);
    if (!existsSync(dir)) return new OwnedOutputFolder(dir, options, new Map());
    refuseNonFolder(dir, options);
    const present = filesBelow(dir).filter((path) => path !== OUTPUT_MARKER);
    const marker = readMarker(dir, options);
    if (!marker) {
      if (present.length > 0) {
        throw refusal(options, dir, `it holds ${listed(present.map((p) => join(shownDir(dir, options), p)))}, which ${options.command} did not write; choose a new or empty folder`);
      }
      return new OwnedOutputFolder(dir, options, new Map());
    }
    const listedFiles = new Map(Object.entries(marker.files));
    const foreign = present.filter((path) => !listedFiles.has(path));
    if (foreign.length > 0) {
      throw refusal(options, dir, `it holds ${listed(foreign.map((p) => join(shownDir(dir, options), p)))}, which ${options.command} did not write; move it away or choose another folder`);
    }
    const edited = present.filter((path) => sha256(readFileSync(join(dir, path))) !== listedFiles.get(path));
    if (edited.length > 0 && !options.force) {
      throw refusal(options, dir, `${listed(edited.map((p) => join(shownDir(dir, options), p)))} changed since ${options.command} wrote it; move your changes away, or rerun with --force to replace them`);
    }
    return new OwnedOutputFolder(dir, options, listedFiles);
  }

  /**
   * Replaces what this folder's command wrote below `subdir/` with `files`
   * (paths relative to `subdir`): its earlier files there that `files` no
   * longer holds are deleted, and folders left empty removed. Files elsewhere
   * in the folder stay as they are.
   */
  replace(subdir: string, files: ReadonlyMap<string, Buffer>): string {
    const prefix = `${subdir.replace(/\/+$/, "")}/`;
    const next = new Map([...files].map(([path, bytes]) => [prefix + path, bytes] as const));
    const stale = [...this.files.keys()].filter((path) => path.startsWith(prefix) && !next.has(path));
    // The marker first: a write cut short leaves files it lists (then "changed", replaced with --force), never unlisted ones.
    for (const path of stale) this.files.delete(path);
    for (const [path, bytes] of next) this.files.set(path, sha256(bytes));
    this.writeMarker();
    for (const path of stale) {
      const file = join(this.dir, path);
      if (existsSync(file)) unlinkSync(file);
      removeEmptyFolders(dirname(file), join(this.dir, subdir));
    }
    for (const [path, bytes] of next) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), bytes);
    }
    return join(this.dir, subdir);
  }

  private writeMarker(): void {
    const contents: MarkerContents = {
      writtenBy: this.options.command,
      note: `Written by ${this.options.command}: it replaces only the files listed here, and refuses this folder if it holds any other.`,
      files: Object.fromEntries([...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, OUTPUT_MARKER), `${JSON.stringify(contents, null, 2)}\n`);
  }
}

function readMarker(dir: string, options: OutputFolderOptions): MarkerContents | undefined {
  const file = join(dir, OUTPUT_MARKER);
  if (!existsSync(file)) return undefined;
  let contents: Partial<MarkerContents>;
  try {
    contents = JSON.parse(readFileSync(file, "utf8")) as Partial<MarkerContents>;
  } catch {
    throw refusal(options, dir, `its ${OUTPUT_MARKER} is not valid JSON, so what ${options.command} wrote there is unknown; choose a new or empty folder`);
  }
  if (contents.writtenBy !== options.command || typeof contents.files !== "object" || contents.files === null) {
    throw refusal(options, dir, `it holds the output of ${String(contents.writtenBy ?? "another command")}, not of ${options.command}; choose another folder`);
  }
  return contents as MarkerContents;
}

function refuseProtected(dir: string, options: OutputFolderOptions): void {
  const problem = protectedFolderProblem(dir, options.projectRoot);
  if (problem) throw refusal(options, dir, `${problem}; give a folder of its own, e.g. a new one below it`);
}

function refuseNonFolder(dir: string, options: OutputFolderOptions): void {
  if (!lstatSync(dir).isDirectory()) throw refusal(options, dir, "it is a file, not a folder; choose a folder");
}

function refusal(options: OutputFolderOptions, dir: string, why: string): OutputRefusedError {
  return new OutputRefusedError(`cannot write ${options.what} into ${shownDir(dir, options)}: ${why}`);
}

const shownDir = (dir: string, options: OutputFolderOptions) => options.shown ?? dir;

/** `a`, `a and b`, `a and 52 more`. */
function listed(paths: readonly string[]): string {
  if (paths.length === 1) return paths[0];
  if (paths.length === 2) return `${paths[0]} and ${paths[1]}`;
  return `${paths[0]} and ${paths.length - 1} more`;
}

/** Whether `path` is strictly below `folder`. */
function isBelow(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !parse(rel).root;
}

/** Every file (and symbolic link) below `dir`, as sorted `/`-separated relative paths; links are not followed. */
function filesBelow(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const path = join(current, entry);
      if (lstatSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return found;
}

/** Removes `folder` and its parents up to (not including) `stop` while they are empty. */
function removeEmptyFolders(folder: string, stop: string): void {
  let current = folder;
  while (isBelow(current, stop) && existsSync(current) && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
