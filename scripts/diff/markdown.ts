import type { Json } from "../modules/module-json";
import { categorize, isWidening, type Category } from "./classify";
import { diffPolicy, policyStatements, type StatementChange } from "./policy";
import type { BlockDiff, StackDiff } from "./stack-diff";
import { formatPair, formatValue, lineCount, lineDelta, parseJsonDocument, sha, type Change } from "./values";

/**
 * The first line of a file `lakehouse diff --output` writes: invisible in a
 * rendered comment, it lets the PR workflow find its earlier comment, and the
 * command recognise a file it may replace.
 */
export const DIFF_FILE_MARKER = "<!-- lakehouse-synth-diff -->";

/**
 * The review comment: a table of stacks, then per stack the security-relevant
 * changes first (widening ones at the top), scripts and assets by name, and
 * the rest. Deterministic: same trees, same text.
 */
export function renderDiff(stacks: readonly StackDiff[], options: { title?: string; maxLength?: number } = {}): string {
  const title = `## ${options.title ?? "Synth diff"}`;
  const changed = stacks.filter((s) => s.status !== "unchanged");
  if (changed.length === 0) return `${title}\n\nNo changes: the synthesized Terraform of every stack is identical.\n`;

  const lines = [
    title,
    "",
    "| Stack | Added | Removed | Changed | Security-relevant items |",
    "|---|---:|---:|---:|---:|",
    ...stacks.map((s) => {
      const count = (status: BlockDiff["status"]) => s.blocks.filter((b) => b.status === status).length;
      const security = securityItems(s.blocks).length;
      return `| \`${s.stack}\`${s.status === "added" ? " (new)" : s.status === "removed" ? " (removed)" : ""} | ${count("added")} | ${count("removed")} | ${count("changed")} | ${security ? `**${security}**` : 0} |`;
    }),
  ];
  for (const stack of changed) lines.push("", ...renderStack(stack));
  const text = `${lines.join("\n")}\n`;
  const max = options.maxLength;
  return max && text.length > max ? `${text.slice(0, max - 120)}\n\n… (truncated: ${text.length} characters; run \`lakehouse diff\` locally for the rest)\n` : text;
}

interface Item {
  readonly block: BlockDiff;
  /** Undefined for a whole block added or removed. */
  readonly change?: Change;
}

function itemsOf(blocks: readonly BlockDiff[]): Item[] {
  return blocks.flatMap((block) => (block.status === "changed" ? block.changes.map((change) => ({ block, change })) : [{ block }]));
}

function securityItems(blocks: readonly BlockDiff[]): Item[] {
  return itemsOf(blocks).filter((item) => categorize(item.block, item.change) === "security");
}

function renderStack(stack: StackDiff): string[] {
  const lines = [`### \`${stack.stack}\`${stack.status === "added" ? " (new stack)" : stack.status === "removed" ? " (stack removed)" : ""}`];
  const byCategory = (category: Category) => itemsOf(stack.blocks).filter((item) => categorize(item.block, item.change) === category);

  const security = byCategory("security");
  if (security.length > 0) {
    // Widening items lead, so the reviewer reads what grants more first.
    const widening = security.filter((i) => isWidening(i.block, i.change));
    const rest = security.filter((i) => !isWidening(i.block, i.change));
    lines.push("", "#### Security-relevant changes", "", ...renderGrouped([...widening, ...rest], renderSecurityItem));
  }
  const assets = byCategory("asset");
  if (assets.length > 0) lines.push("", "#### Scripts and assets", "", ...renderGrouped(assets, renderAssetItem));

  const other = byCategory("other");
  if (other.length > 0) {
    lines.push("", "#### Other changes", "");
    const added = other.filter((i) => !i.change && i.block.status === "added");
    const removed = other.filter((i) => !i.change && i.block.status === "removed");
    const changed = other.filter((i) => i.change);
    if (added.length) lines.push(`**Added** (${added.length})`, "", ...added.map((i) => `- ${name(i.block)}`), "");
    if (removed.length) lines.push(`**Removed** (${removed.length})`, "", ...removed.map((i) => `- ${name(i.block)}`), "");
    if (changed.length) lines.push("**Changed**", "", ...renderGrouped(changed, (i) => [describeChange(i.change!)]), "");
    while (lines[lines.length - 1] === "") lines.pop();
  }
  return lines;
}

/** Items of the same block under one bullet, in the order the first of them appears. */
function renderGrouped(items: readonly Item[], render: (item: Item) => string[]): string[] {
  const groups = new Map<BlockDiff, Item[]>();
  for (const item of items) groups.set(item.block, [...(groups.get(item.block) ?? []), item]);
  return [...groups].flatMap(([block, group]) => {
    if (group.length === 1 && !group[0].change) return render(group[0]).map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
    return [`- ${name(block)}`, ...group.flatMap(render).map((line) => `  - ${line}`)];
  });
}

function name(block: BlockDiff): string {
  const label = block.label && !block.label.includes("${") ? ` (${block.label})` : "";
  return `\`${block.address}\`${label}`;
}

function renderSecurityItem(item: Item): string[] {
  const { block, change } = item;
  if (!change) {
    const verb = block.status === "added" ? "added" : "removed";
    const marker = isWidening(block) ? (block.status === "added" ? "**widens** " : "**weakens** ") : "";
    // What a new grant or protection holds is the review; what a removed one held is in the base.
    if (block.status === "removed") return [`${marker}${verb} ${name(block)}`];
    const statements = policyAttributes(block.body).flatMap(([path, statements]) => diffPolicy(path, [], statements).map(describeStatement));
    const details = statements.length > 0 ? statements : summaryAttributes(block.body);
    return [`${marker}${verb} ${name(block)}`, ...details.map((d) => `- ${d}`)];
  }
  const marker = isWidening(block, change) ? (change.kind === "statement" ? "" : "**weakens** ") : "";
  return [`${marker}${describeChange(change)}`];
}

function renderAssetItem(item: Item): string[] {
  const { block, change } = item;
  if (!change) return [`${block.status} ${name(block)}`];
  return [describeChange(change)];
}

function describeChange(change: Change): string {
  switch (change.kind) {
    case "statement":
      return describeStatement(change);
    case "text": {
      const { added, removed } = lineDelta(change.before, change.after);
      return `\`${change.path}\`: ${lineCount(change.before)} -> ${lineCount(change.after)} lines (+${added} −${removed}), sha256 ${sha(change.before)} -> ${sha(change.after)}`;
    }
    case "items":
      return `\`${change.path}\`: ${[
        change.added.length ? `added ${change.added.map((v) => `\`${formatValue(v)}\``).join(", ")}` : "",
        change.removed.length ? `removed ${change.removed.map((v) => `\`${formatValue(v)}\``).join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")}`;
    case "order":
      return `\`${change.path}\`: same items, new order`;
    case "value": {
      const [before, after] = formatPair(change.before, change.after);
      return `\`${change.path}\`: \`${before}\` -> \`${after}\``;
    }
  }
}

function describeStatement(change: StatementChange): string {
  const direction = change.widens.length > 0 ? "**widens** " : change.narrows.length > 0 ? "narrows " : "";
  const details = [...change.widens, ...change.narrows.map((n) => (change.widens.length ? `narrows: ${n}` : n)), ...change.other];
  return `${direction}\`${change.path}\` statement \`${change.sid}\` (${change.effect}, ${change.status}): ${details.join("; ")}`;
}

/** Attributes of a block that hold IAM policy documents, with their statements. */
function policyAttributes(body: Json | undefined): [string, NonNullable<ReturnType<typeof policyStatements>>][] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return [];
  return Object.entries(body).flatMap(([key, value]) => {
    const statements = typeof value === "string" ? policyStatements(parseJsonDocument(value)) : undefined;
    return statements ? [[key, statements] as [string, NonNullable<typeof statements>]] : [];
  });
}

/** The plain attributes of a block, for an added or removed security resource without a policy. */
function summaryAttributes(body: Json | undefined): string[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return [];
  return Object.entries(body)
    .filter(([, v]) => v === null || typeof v !== "object")
    .slice(0, 8)
    .map(([k, v]) => `\`${k}\` = \`${formatValue(v)}\``);
}
