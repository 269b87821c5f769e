import type { Json } from "../modules/module-json";

/**
 * IAM policy documents diffed by statement, with the direction of each
 * change: does it let someone do more (widens) or less (narrows)? Statements
 * are matched by `Sid`, statements without one by their position among those
 * without one.
 */

export interface StatementChange {
  readonly kind: "statement";
  /** Attribute that holds the document, e.g. `policy`. */
  readonly path: string;
  /** `Sid`, or `#<n>` for the n-th statement without one. */
  readonly sid: string;
  readonly status: "added" | "removed" | "changed";
  readonly effect: string;
  /** What grants more than before: new actions, wildcard resources, removed conditions... */
  readonly widens: readonly string[];
  readonly narrows: readonly string[];
  /** Changes with no clear direction (a principal replaced, NotAction edited). */
  readonly other: readonly string[];
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Json;
  NotPrincipal?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

/** The statements of a parsed value when it is an IAM policy document, else undefined. */
export function policyStatements(value: Json | undefined): Statement[] | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !("Statement" in value)) return undefined;
  const statements = value.Statement;
  if (Array.isArray(statements)) return statements as Statement[];
  return statements !== null && typeof statements === "object" ? [statements as Statement] : undefined;
}

export function diffPolicy(path: string, before: Statement[], after: Statement[]): StatementChange[] {
  const a = keyed(before);
  const b = keyed(after);
  const changes: StatementChange[] = [];
  for (const [sid, statement] of b) {
    const old = a.get(sid);
    if (!old) changes.push(added(path, sid, statement));
    else if (JSON.stringify(canonical(old)) !== JSON.stringify(canonical(statement))) changes.push(changed(path, sid, old, statement));
  }
  for (const [sid, statement] of a) if (!b.has(sid)) changes.push(removed(path, sid, statement));
  return changes;
}

function keyed(statements: Statement[]): Map<string, Statement> {
  let anonymous = 0;
  return new Map(statements.map((s) => [s.Sid ? s.Sid : `#${anonymous++}`, s] as const));
}

/** A statement field as a new array (callers may sort it). */
function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? [...value] : [value];
}

/** Statement content independent of list order. */
function canonical(s: Statement): Json {
  return {
    Effect: s.Effect ?? "",
    Action: list(s.Action).sort(),
    NotAction: list(s.NotAction).sort(),
    Resource: list(s.Resource).sort(),
    NotResource: list(s.NotResource).sort(),
    Principal: s.Principal ?? null,
    NotPrincipal: s.NotPrincipal ?? null,
    Condition: Object.fromEntries(conditionEntries(s).map(([k, v]) => [k, v])),
  };
}

/** `StringLike s3:prefix` -> sorted values. */
function conditionEntries(s: Statement): [string, string[]][] {
  return Object.entries(s.Condition ?? {})
    .flatMap(([operator, keys]) =>
      Object.entries(keys).map(([key, values]) => [`${operator} ${key}`, (Array.isArray(values) ? values : [values]).map(String).sort()] as [string, string[]]),
    )
    .sort(([x], [y]) => (x < y ? -1 : 1));
}

const isAllow = (s: Statement) => (s.Effect ?? "Allow") === "Allow";

function describeActions(actions: string[]): string {
  return actions.map((a) => `\`${a}\`${a.includes("*") ? " (wildcard action)" : ""}`).join(", ");
}

function describeResources(resources: string[]): string {
  return resources.map((r) => `\`${r}\`${resourceScope(r)}`).join(", ");
}

/**
 * How far a resource's wildcard reaches. A trailing `*` below a path
 * (`<bucket>/raw/orders/*`) is this project's normal prefix scoping and gets
 * no note; everything else that matches more is called out.
 */
function resourceScope(resource: string): string {
  if (resource === "*") return " (all resources)";
  if (!resource.includes("*")) return "";
  if (/^[^/]+\/\*$/.test(resource)) return " (whole bucket)";
  if (resource.indexOf("*") < resource.length - 1) return " (wildcard)";
  return /[:/]\*$/.test(resource) && !/\/[^/]+\/\*$/.test(resource) ? " (wildcard)" : "";
}

function summary(s: Statement): string[] {
  const lines: string[] = [];
  if (list(s.Action).length) lines.push(`actions ${describeActions(list(s.Action))}`);
  if (list(s.NotAction).length) lines.push(`all actions except ${describeActions(list(s.NotAction))}`);
  if (list(s.Resource).length) lines.push(`on ${describeResources(list(s.Resource))}`);
  if (list(s.NotResource).length) lines.push(`on all resources except ${describeResources(list(s.NotResource))}`);
  if (s.Principal !== undefined) lines.push(`principal \`${JSON.stringify(s.Principal)}\``);
  const conditions = conditionEntries(s);
  lines.push(conditions.length ? `when ${conditions.map(([k, v]) => `\`${k}\` in ${v.map((x) => `\`${x}\``).join(", ")}`).join("; ")}` : "with no condition");
  return lines;
}

function added(path: string, sid: string, s: Statement): StatementChange {
  const lines = summary(s);
  return { kind: "statement", path, sid, status: "added", effect: s.Effect ?? "Allow", widens: isAllow(s) ? lines : [], narrows: isAllow(s) ? [] : lines, other: [] };
}

function removed(path: string, sid: string, s: Statement): StatementChange {
  const lines = summary(s);
  return { kind: "statement", path, sid, status: "removed", effect: s.Effect ?? "Allow", widens: isAllow(s) ? [] : lines, narrows: isAllow(s) ? lines : [], other: [] };
}

function changed(path: string, sid: string, before: Statement, after: Statement): StatementChange {
  const widens: string[] = [];
  const narrows: string[] = [];
  const other: string[] = [];
  const allow = isAllow(after);
  // For a Deny statement, more actions or resources restrict more: the direction flips.
  const more = allow ? widens : narrows;
  const less = allow ? narrows : widens;

  if ((before.Effect ?? "Allow") !== (after.Effect ?? "Allow")) (allow ? widens : narrows).push(`effect ${before.Effect} -> ${after.Effect}`);

  const setDiff = (x: string[], y: string[]) => [y.filter((v) => !x.includes(v)), x.filter((v) => !y.includes(v))];
  const [newActions, goneActions] = setDiff(list(before.Action), list(after.Action));
  if (newActions.length) more.push(`actions added ${describeActions(newActions)}`);
  if (goneActions.length) less.push(`actions removed ${describeActions(goneActions)}`);
  const [newResources, goneResources] = setDiff(list(before.Resource), list(after.Resource));
  if (newResources.length) more.push(`resources added ${describeResources(newResources)}`);
  if (goneResources.length) less.push(`resources removed ${describeResources(goneResources)}`);
  for (const field of ["NotAction", "NotResource", "Principal", "NotPrincipal"] as const) {
    const x = JSON.stringify(before[field] ?? null);
    const y = JSON.stringify(after[field] ?? null);
    if (x !== y) (field === "Principal" && allow ? widens : other).push(`${field} \`${x}\` -> \`${y}\``);
  }

  const oldConditions = new Map(conditionEntries(before));
  const newConditions = new Map(conditionEntries(after));
  for (const [key, values] of oldConditions) {
    const now = newConditions.get(key);
    // Fewer conditions on an Allow match more requests; on a Deny, fewer requests are denied.
    if (!now) widens.push(`condition removed \`${key}\``);
    else {
      const [gained, lost] = setDiff(values, now);
      if (gained.length) (allow ? widens : narrows).push(`condition \`${key}\` values added ${gained.map((v) => `\`${v}\``).join(", ")}`);
      if (lost.length) (allow ? narrows : widens).push(`condition \`${key}\` values removed ${lost.map((v) => `\`${v}\``).join(", ")}`);
    }
  }
  for (const [key, values] of newConditions) {
    if (!oldConditions.has(key)) narrows.push(`condition added \`${key}\` in ${values.map((v) => `\`${v}\``).join(", ")}`);
  }
  return { kind: "statement", path, sid, status: "changed", effect: after.Effect ?? "Allow", widens, narrows, other };
}
