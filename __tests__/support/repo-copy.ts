/**
 * A throwaway copy of the repository, for CLI tests that must never run on the
 * checkout itself: the working tree's files (tracked and untracked, not
 * ignored), committed in a git repository of its own, with node_modules linked
 * in. {@link RepoCopy.listing} hashes every file, so a test can show that a
 * command changed nothing it did not own.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";

const repo = join(__dirname, "..", "..");

export interface RepoCopy {
  /** The copy's root (its own package.json, lakehouse.config.ts and .git). */
  readonly root: string;
  /** `lakehouse <args>` run from the copy's bin/, in `cwd` (default: the copy's root). */
  lakehouse(args: readonly string[], cwd?: string): SpawnSyncReturns<string>;
  /** Every file below the root but .git/ and node_modules/, by `/`-separated path, with its SHA-256. */
  listing(): Map<string, string>;
  /** Deletes the copy. */
  remove(): void;
}

/** Paths that differ between two listings: added, removed or changed, sorted. */
export function changedPaths(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

export function copyRepository(): RepoCopy {
  const root = mkdtempSync(join(tmpdir(), "lakehouse-repo-copy-"));
  const files = git(repo, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0").filter(Boolean);
  for (const file of files) {
    const source = join(repo, file);
    // A tracked file deleted in the working tree is not copied.
    if (!exists(source)) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(source, join(root, file));
  }
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
  git(root, ["init", "-q"]);
  git(root, ["add", "-A"]);
  git(root, ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "copy"]);

  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLOUD_ORGANIZATION: "" };
  return {
    root,
    lakehouse: (args, cwd = root) => spawnSync(process.execPath, [join(root, "bin", "lakehouse.js"), ...args], { cwd, env, encoding: "utf8" }),
    listing: () => hashFiles(root),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function git(cwd: string, args: string[]): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${run.stderr}`);
  return run.stdout;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function hashFiles(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (dir === root && (entry === ".git" || entry === "node_modules")) continue;
      if (lstatSync(path).isDirectory()) walk(path);
      else found.set(relative(root, path).split(sep).join("/"), createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(root);
  return found;
}
