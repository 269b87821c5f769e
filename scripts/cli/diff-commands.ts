import { InvalidArgumentError, Option, type Command } from "commander";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPOSITORY_ROOT } from "./load-config";
import { DIFF_FILE_MARKER, renderDiff } from "../diff/markdown";
import { diffTrees } from "../diff/stack-diff";
import { loadSide } from "../diff/tree";

/** `lakehouse diff BASE HEAD`: what a pull request changes in the synthesized Terraform, as Markdown. */
export function registerDiffCommands(program: Command): void {
  program
    .command("diff")
    .description(
      "Compare two synths (cdktf.out folders, or git refs synthesized in a temporary worktree) and print a Markdown " +
        "summary per stack: security-relevant changes first, then scripts and assets, then the rest",
    )
    .argument("<base>", "cdktf.out folder or git ref of the base, e.g. origin/main")
    .argument("<head>", "cdktf.out folder or git ref of the head, e.g. HEAD or cdktf.out")
    .option("-o, --output <file>", `also write the Markdown to this file, first line ${DIFF_FILE_MARKER}; an existing file without that line is refused`)
    .option("--title <text>", "heading of the summary", "Synth diff")
    .option("--max-length <chars>", "truncate the Markdown to this many characters (a GitHub comment holds 65536)", positiveInt)
    // Like -c/--config elsewhere: a given folder is relative to the working directory; the default is this CLI's repository.
    .addOption(new Option("--repo <dir>", "git repository that holds the refs").default(REPOSITORY_ROOT, "the CLI's own repository"))
    .action((base: string, head: string, options: { output?: string; title: string; maxLength?: number; repo: string }) => {
      const repo = resolve(options.repo);
      if (options.output) checkDiffFile(options.output);
      const markdown = renderDiff(diffTrees(loadSide(base, repo), loadSide(head, repo)), { title: options.title, maxLength: options.maxLength });
      if (options.output) writeFileSync(options.output, `${DIFF_FILE_MARKER}\n${markdown}`);
      process.stdout.write(markdown);
    });
}

/** Refuses to replace a file an earlier `lakehouse diff --output` did not write (its first line is the marker). */
function checkDiffFile(file: string): void {
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) throw new Error(`cannot write the diff into ${file}: it is a folder; give a file name, e.g. synth-diff.md`);
  const firstLine = readFileSync(file, "utf8").split("\n", 1)[0];
  if (firstLine !== DIFF_FILE_MARKER) {
    throw new Error(`cannot write the diff into ${file}: it exists and lakehouse diff did not write it (its first line is not ${DIFF_FILE_MARKER}); give a new file name`);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number >= 1");
  return n;
}
