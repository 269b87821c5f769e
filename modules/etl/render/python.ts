/**
 * A tiny, deterministic Python literal printer: enough to write readable
 * constants (lists, tuples, dicts, calls such as `T.StructType([...])`)
 * without assembling Python from string fragments by hand.
 *
 * Layout is black-like: a value stays on one line when it fits in
 * {@link LINE_WIDTH} columns, otherwise each element goes on its own line
 * with a trailing comma. Same input, same bytes.
 */

export type PyValue =
  | string
  | number
  | boolean
  | null
  | readonly PyValue[]
  | PyTuple
  | PyDict
  | PyCall;

export interface PyTuple {
  readonly kind: "tuple";
  readonly items: readonly PyValue[];
}

export interface PyDict {
  readonly kind: "dict";
  /** Entries in the order they are printed; callers decide (and sort where order is meaningless). */
  readonly entries: readonly (readonly [string, PyValue])[];
}

export interface PyCall {
  readonly kind: "call";
  /** A dotted Python name, e.g. `T.StructField`. */
  readonly callee: string;
  readonly args: readonly PyValue[];
}

export const LINE_WIDTH = 100;
const INDENT = "    ";

export const tuple = (...items: PyValue[]): PyTuple => ({ kind: "tuple", items });
export const dict = (entries: readonly (readonly [string, PyValue])[]): PyDict => ({ kind: "dict", entries });
export const call = (callee: string, ...args: PyValue[]): PyCall => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(callee)) throw new Error(`not a Python name: ${callee}`);
  return { kind: "call", callee, args };
};

/** A Python string literal. JSON's escapes (\" \\ \n \uXXXX ...) are all valid Python escapes. */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot render ${value} as a Python literal`);
  return String(value);
}

/**
 * Renders `value` as Python source. `indent` is the nesting level of the line
 * it starts on and `used` the columns already taken on that line after the
 * indentation (a key, an assignment), so the width check is exact.
 */
export function py(value: PyValue, indent = 0, used = 0): string {
  const flat = inline(value);
  // +1 for the trailing comma a wrapped element gets
  if (indent * INDENT.length + used + flat.length + 1 <= LINE_WIDTH) return flat;
  if (isCall(value) && value.args.length === 1 && Array.isArray(value.args[0])) {
    // hug a single list argument: T.StructType([ ... ])
    return `${value.callee}(${py(value.args[0], indent, used + value.callee.length + 1)})`;
  }
  const [open, close, items] = parts(value);
  if (items === undefined) return flat; // scalars never wrap
  const inner = INDENT.repeat(indent + 1);
  const lines = items.map((item) => `${inner}${item.prefix}${py(item.value, indent + 1, item.prefix.length)},`);
  return `${open}\n${lines.join("\n")}\n${INDENT.repeat(indent)}${close}`;
}

function inline(value: PyValue): string {
  const [open, close, items] = parts(value);
  if (items === undefined) return open;
  const rendered = items.map((item) => `${item.prefix}${inline(item.value)}`);
  if (isTuple(value) && rendered.length === 1) return `${open}${rendered[0]},${close}`;
  return `${open}${rendered.join(", ")}${close}`;
}

interface Item {
  readonly prefix: string;
  readonly value: PyValue;
}

/** [open, close, items]; items undefined for a scalar (then `open` is its literal). */
function parts(value: PyValue): [string, string, Item[] | undefined] {
  const item = (v: PyValue): Item => ({ prefix: "", value: v });
  if (value === null) return ["None", "", undefined];
  if (typeof value === "boolean") return [value ? "True" : "False", "", undefined];
  if (typeof value === "number") return [pyNumber(value), "", undefined];
  if (typeof value === "string") return [pyString(value), "", undefined];
  if (Array.isArray(value)) return ["[", "]", (value as readonly PyValue[]).map(item)];
  const node = value as PyTuple | PyDict | PyCall;
  switch (node.kind) {
    case "tuple":
      return ["(", ")", node.items.map(item)];
    case "dict":
      return ["{", "}", node.entries.map(([key, v]) => ({ prefix: `${pyString(key)}: `, value: v }))];
    case "call":
      return [`${node.callee}(`, ")", node.args.map(item)];
  }
}

function isCall(value: PyValue): value is PyCall {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as PyCall).kind === "call";
}

function isTuple(value: PyValue): value is PyTuple {
  return typeof value === "object" && value !== null && !Array.isArray(value) && (value as PyTuple).kind === "tuple";
}

/** `NAME = <value>` as a top-level assignment. */
export function assignment(name: string, value: PyValue): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`constant names are UPPER_SNAKE_CASE: ${name}`);
  return `${name} = ${py(value, 0, name.length + 3)}`;
}
