import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripMetadata, type Json } from "../modules/module-json";

/** A synthesized stack's Terraform JSON, cdktf's `//` metadata removed. */
export type StackJson = Record<string, Json>;

/**
 * The stacks of a synthesized `cdktf.out` folder by name: from its
 * `manifest.json`, or from `stacks/<name>/cdk.tf.json` when there is none.
 */
export function loadSynthTree(dir: string): Map<string, StackJson> {
  const stacks = new Map<string, StackJson>();
  const manifestPath = join(dir, "manifest.json");
  const paths: [string, string][] = existsSync(manifestPath)
    ? Object.entries((JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> }).stacks).map(
        ([name, stack]) => [name, join(dir, stack.synthesizedStackPath)],
      )
    : existsSync(join(dir, "stacks"))
      ? readdirSync(join(dir, "stacks")).map((name) => [name, join(dir, "stacks", name, "cdk.tf.json")])
      : [];
  if (paths.length === 0) throw new Error(`${dir} holds no synthesized stacks (no manifest.json or stacks/<name>/cdk.tf.json)`);
  for (const [name, path] of paths.sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.endsWith(".json")) throw new Error(`${path}: only JSON synth output can be compared (not --hcl)`);
    stacks.set(name, stripMetadata(JSON.parse(readFileSync(path, "utf8")) as Json) as StackJson);
  }
  return stacks;
}

/** True when `arg` is a folder of synthesized stacks rather than a git ref. */
export function isSynthFolder(arg: string): boolean {
  return existsSync(arg) && statSync(arg).isDirectory() && (existsSync(join(arg, "manifest.json")) || existsSync(join(arg, "stacks")));
}

/**
 * Synthesizes a git ref of `repo` into `outDir`, offline: a temporary
 * detached worktree with the repository's `node_modules` linked in, running
 * that ref's own synth. The worktree is removed afterwards, whatever happens.
 */
export function synthesizeGitRef(ref: string, repo: string, outDir: string): void {
  let commit: string;
  try {
    commit = git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(`"${ref}" is neither a synthesized folder (with manifest.json or stacks/) nor a git commit of ${repo}`);
  }
  const checkout = mkdtempSync(join(tmpdir(), "lakehouse-diff-worktree-"));
  try {
    git(repo, ["worktree", "add", "--detach", "--quiet", checkout, commit]);
    symlinkSync(join(repo, "node_modules"), join(checkout, "node_modules"), "dir");
    const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
    const fastSynth = join(checkout, "scripts", "synth", "fast-synth.js");
    if (existsSync(fastSynth)) {
      execFileSync(process.execPath, [fastSynth, "--out", outDir, "--quiet"], { cwd: checkout, env, stdio: ["ignore", "ignore", "pipe"] });
    } else {
      // Refs from before the fast synth: run the app the way cdktf.json does.
      execFileSync(process.execPath, [join(repo, "node_modules", "tsx", "dist", "cli.mjs"), "main.ts"], {
        cwd: checkout,
        env: { ...env, CDKTF_OUTDIR: outDir },
        stdio: ["ignore", "ignore", "pipe"],
      });
    }
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not synthesize ${ref} (${commit.slice(0, 12)}): ${stderr || (error as Error).message}`);
  } finally {
    try {
      git(repo, ["worktree", "remove", "--force", checkout]);
    } catch {
      rmSync(checkout, { recursive: true, force: true });
      git(repo, ["worktree", "prune"]);
    }
  }
}

/**
 * The stacks of one side of a diff: a synthesized folder as is, or a git ref
 * synthesized into a scratch folder (removed before returning).
 */
export function loadSide(arg: string, repo: string): Map<string, StackJson> {
  if (isSynthFolder(arg)) return loadSynthTree(arg);
  const out = mkdtempSync(join(tmpdir(), "lakehouse-diff-synth-"));
  try {
    synthesizeGitRef(arg, repo, out);
    return loadSynthTree(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function git(repo: string, args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
