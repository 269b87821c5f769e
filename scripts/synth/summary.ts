import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compactTable } from "../lib/compact-table";

/** What one synthesized stack contains, for a human reading the terminal. */
export interface StackSummary {
  readonly stack: string;
  readonly resourcesByType: Record<string, number>;
  readonly outputs: string[];
  readonly backend: string;
}

/** Reads every `stacks/<stack>/cdk.tf.json` under a cdktf output folder. */
export function summarizeSynth(outdir: string): StackSummary[] {
  const stacksDir = join(outdir, "stacks");
  return readdirSync(stacksDir)
    .sort()
    .map((stack) => {
      const json = JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8"));
      const resourcesByType: Record<string, number> = {};
      for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
        resourcesByType[type] = Object.keys(byName).length;
      }
      const backend = Object.keys(json.terraform?.backend ?? {})[0] ?? (json.terraform?.cloud ? "cloud" : "none");
      return { stack, resourcesByType, outputs: Object.keys(json.output ?? {}).sort(), backend };
    });
}

/** A table of resource counts per type (rows) and stack (columns). */
export function formatSummary(summaries: StackSummary[]): string {
  const types = [...new Set(summaries.flatMap((s) => Object.keys(s.resourcesByType)))].sort();
  const table = compactTable(["resource type", ...summaries.map((s) => s.stack)]);
  for (const type of types) table.push([type, ...summaries.map((s) => String(s.resourcesByType[type] ?? 0))]);
  table.push([
    "total",
    ...summaries.map((s) => String(Object.values(s.resourcesByType).reduce((a, b) => a + b, 0))),
  ]);
  const backends = summaries.map((s) => `${s.stack}: ${s.backend} backend, outputs ${s.outputs.join(", ")}`);
  return `${table.toString()}\n${backends.join("\n")}`;
}
