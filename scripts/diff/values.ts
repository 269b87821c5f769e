import { createHash } from "node:crypto";
import type { Json } from "../modules/module-json";
import { diffPolicy, policyStatements, type StatementChange } from "./policy";

/** A leaf that differs; `undefined` on a side means the attribute is absent there. */
export interface ValueChange {
  readonly kind: "value";
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

/** A list of plain values that gained or lost items. */
export interface ItemsChange {
  readonly kind: "items";
  readonly path: string;
  readonly added: readonly Json[];
  readonly removed: readonly Json[];
}

/** The same items in another order. */
export interface OrderChange {
  readonly kind: "order";
  readonly path: string;
}

/** Multi-line text (a script, a SQL query): summarized by lines and hash, never printed. */
export interface TextChange {
  readonly kind: "text";
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export type Change = ValueChange | ItemsChange | OrderChange | TextChange | StatementChange;

/** Keys that identify an element of a list of blocks, so `columns[name=discount]` survives an insertion. */
const IDENTITY_KEYS = ["name", "Sid", "id", "key", "path", "statement_id", "notification_type"];

/**
 * Every difference between two JSON values, as attribute paths
 * (`storage_descriptor.columns[name=discount]`). JSON documents inside strings
 * are parsed and diffed as values (`configuration → Grouping.TableGroupingPolicy`),
 * IAM policy documents by statement.
 */
export function diffValues(before: Json | undefined, after: Json | undefined, path = ""): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before === undefined || after === undefined) return [{ kind: "value", path, before, after }];

  if (typeof before === "string" && typeof after === "string") {
    const a = parseJsonDocument(before);
    const b = parseJsonDocument(after);
    if (a !== undefined && b !== undefined) {
      const statementsBefore = policyStatements(a);
      const statementsAfter = policyStatements(b);
      if (statementsBefore && statementsAfter) {
        const { Statement: _a, ...restBefore } = a as Record<string, Json>;
        const { Statement: _b, ...restAfter } = b as Record<string, Json>;
        return [...diffValues(restBefore, restAfter, `${path} →`), ...diffPolicy(path, statementsBefore, statementsAfter)];
      }
      return diffValues(a, b, `${path} →`);
    }
    if (before.includes("\n") || after.includes("\n")) return [{ kind: "text", path, before, after }];
    return [{ kind: "value", path, before, after }];
  }

  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path);

  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], join(path, key)));
  }
  return [{ kind: "value", path, before, after }];
}

function diffLists(before: Json[], after: Json[], path: string): Change[] {
  const identity = identityKey(before, after);
  if (identity) {
    const id = (item: Json) => String((item as Record<string, Json>)[identity]);
    const a = new Map(before.map((item) => [id(item), item] as const));
    const b = new Map(after.map((item) => [id(item), item] as const));
    const changes: Change[] = [];
    for (const [key, item] of a) changes.push(...diffValues(item, b.get(key), `${path}[${identity}=${key}]`));
    for (const [key, item] of b) if (!a.has(key)) changes.push(...diffValues(undefined, item, `${path}[${identity}=${key}]`));
    const common = (items: Json[]) => JSON.stringify(items.map(id).filter((key) => a.has(key) && b.has(key)));
    if (common(before) !== common(after)) changes.push({ kind: "order", path });
    return changes;
  }
  if ([...before, ...after].every((item) => item === null || typeof item !== "object")) {
    // Multiset difference: a value listed twice and now once lost one item.
    const added = [...after];
    const removed: Json[] = [];
    for (const item of before) {
      const at = added.findIndex((candidate) => candidate === item);
      if (at >= 0) added.splice(at, 1);
      else removed.push(item);
    }
    return added.length || removed.length ? [{ kind: "items", path, added, removed }] : [{ kind: "order", path }];
  }
  const changes: Change[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) changes.push(...diffValues(before[i], after[i], `${path}[${i}]`));
  return changes;
}

/** The key every element of both lists has, with unique string values, if any. */
function identityKey(before: Json[], after: Json[]): string | undefined {
  const all = [...before, ...after];
  if (all.length === 0 || !all.every(isObject)) return undefined;
  return IDENTITY_KEYS.find((key) =>
    [before, after].every((items) => {
      const values = items.map((item) => (item as Record<string, Json>)[key]);
      return values.every((v) => typeof v === "string") && new Set(values).size === values.length;
    }),
  );
}

/** A JSON object or array inside a string attribute (a policy, a crawler configuration), else undefined. */
export function parseJsonDocument(text: string): Json | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") && trimmed.endsWith("}")) && !(trimmed.startsWith("[") && trimmed.endsWith("]"))) return undefined;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function join(path: string, key: string): string {
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? segment : path.endsWith("→") ? `${path} ${segment}` : `${path}.${segment}`;
}

/** A value short enough for one Markdown line: long strings and objects are elided in the middle. */
export function formatValue(value: Json | undefined, max = 80): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string" && value.includes("\n")) return `(${lineCount(value)} lines, sha256 ${sha(value)})`;
  const text = JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, Math.ceil(max / 2) - 1)}…${text.slice(-Math.floor(max / 2) + 1)}`;
}

/**
 * Two values side by side; two long strings that share a start or an end are
 * shown around where they differ, so the change stays visible when elided.
 */
export function formatPair(before: Json | undefined, after: Json | undefined, max = 80): [string, string] {
  if (typeof before !== "string" || typeof after !== "string" || before.includes("\n") || after.includes("\n")) {
    return [formatValue(before, max), formatValue(after, max)];
  }
  if (JSON.stringify(before).length <= max && JSON.stringify(after).length <= max) return [formatValue(before, max), formatValue(after, max)];
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const context = 16;
  const window = (text: string) => {
    const from = Math.max(0, start - context);
    const to = Math.min(text.length, text.length - end + context);
    const middle = text.slice(from, to);
    const shown = middle.length > max ? `${middle.slice(0, max / 2)}…${middle.slice(-max / 2)}` : middle;
    return `${from > 0 ? "…" : ""}${shown}${to < text.length ? "…" : ""}`;
  };
  return [window(before), window(after)];
}

export function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

export function lineCount(text: string): number {
  return text.replace(/\n$/, "").split("\n").length;
}

/** Lines added and removed between two texts (a longest-common-subsequence count; approximate for very large texts). */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length * b.length > 4_000_000) {
    const inB = new Set(b);
    const inA = new Set(a);
    return { added: b.filter((l) => !inA.has(l)).length, removed: a.filter((l) => !inB.has(l)).length };
  }
  let previous = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const current = new Uint32Array(b.length + 1);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    previous = current;
  }
  const common = previous[b.length];
  return { added: b.length - common, removed: a.length - common };
}
