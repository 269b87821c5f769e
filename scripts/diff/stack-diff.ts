import type { Json } from "../modules/module-json";
import type { StackJson } from "./tree";
import { diffValues, type Change } from "./values";

/** One addressable block of a stack: a resource, data source, output, variable, provider or the terraform block. */
export interface BlockDiff {
  /** Terraform address: `aws_s3_bucket.x`, `data.aws_region.current`, `output.bucket_name`, `provider.aws`, `terraform`. */
  readonly address: string;
  /** Resource or data source type (`aws_s3_bucket`), else the block kind (`output`, `provider`, ...). */
  readonly type: string;
  readonly status: "added" | "removed" | "changed";
  /** A readable name from the block (`key`, `function_name`, `name`...), when it has one. */
  readonly label?: string;
  /** Attribute changes of a changed block. */
  readonly changes: readonly Change[];
  /** The whole block, for an added or removed one. */
  readonly body?: Json;
}

export interface StackDiff {
  readonly stack: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly blocks: readonly BlockDiff[];
}

/** Every stack of either side, sorted by name, with its blocks diffed. */
export function diffTrees(base: ReadonlyMap<string, StackJson>, head: ReadonlyMap<string, StackJson>): StackDiff[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((stack) => {
    const before = base.get(stack);
    const after = head.get(stack);
    const blocks = diffStack(before ?? {}, after ?? {});
    const status = !before ? "added" : !after ? "removed" : blocks.length === 0 ? "unchanged" : "changed";
    return { stack, status, blocks };
  });
}

export function diffStack(before: StackJson, after: StackJson): BlockDiff[] {
  const a = blocksOf(before);
  const b = blocksOf(after);
  const diffs: BlockDiff[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const old = a.get(address);
    const now = b.get(address);
    if (!old) diffs.push({ address, type: now!.type, status: "added", label: labelOf(now!.body), changes: [], body: now!.body });
    else if (!now) diffs.push({ address, type: old.type, status: "removed", label: labelOf(old.body), changes: [], body: old.body });
    else {
      const changes = diffValues(old.body, now.body);
      if (changes.length > 0) diffs.push({ address, type: now.type, status: "changed", label: labelOf(now.body) ?? labelOf(old.body), changes });
    }
  }
  return diffs;
}

function blocksOf(stack: StackJson): Map<string, { type: string; body: Json }> {
  const blocks = new Map<string, { type: string; body: Json }>();
  const nested = (section: string) => (stack[section] ?? {}) as Record<string, Record<string, Json>>;
  const flat = (section: string) => (stack[section] ?? {}) as Record<string, Json>;
  for (const [type, byName] of Object.entries(nested("resource"))) {
    for (const [name, body] of Object.entries(byName)) blocks.set(`${type}.${name}`, { type, body });
  }
  for (const [type, byName] of Object.entries(nested("data"))) {
    for (const [name, body] of Object.entries(byName)) blocks.set(`data.${type}.${name}`, { type: `data.${type}`, body });
  }
  for (const [section, prefix] of [["output", "output"], ["variable", "var"], ["module", "module"], ["provider", "provider"]] as const) {
    for (const [name, body] of Object.entries(flat(section))) blocks.set(`${prefix}.${name}`, { type: section, body });
  }
  for (const section of ["terraform", "locals"]) {
    if (stack[section] !== undefined) blocks.set(section, { type: section, body: stack[section] });
  }
  return blocks;
}

const LABEL_KEYS = ["key", "function_name", "name", "bucket", "statement_id"];

function labelOf(body: Json | undefined): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const key = LABEL_KEYS.find((k) => typeof body[k] === "string");
  return key ? (body[key] as string) : undefined;
}
