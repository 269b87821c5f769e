import { getReferencesInExpression } from "@cdktf/hcl2json";
import { AWS_PROVIDER_REQUIREMENT, type Json, type ModuleJson } from "./module-json";

/**
 * Static checks of an emitted module, with no terraform binary and no
 * provider download: what `terraform validate` would catch first (a reference
 * to something undeclared) plus this project's promises (no provider or
 * backend, the version range, assets beside the module). Expressions are
 * parsed with `@cdktf/hcl2json`, Terraform's own HCL parser compiled to WASM.
 */

/** Where in the module JSON a string sits, e.g. `resource.aws_s3_bucket.lake_bucket.bucket`. */
export interface Located<T> {
  readonly where: string;
  readonly value: T;
}

/** Every string of a JSON value, with its location. */
export function stringsOf(value: Json, where = ""): Located<string>[] {
  if (typeof value === "string") return [{ where, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${where}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => stringsOf(v, where ? `${where}.${key}` : key));
  }
  return [];
}

/**
 * The `${...}` interpolations of a Terraform JSON string (a template), in
 * order. `$${` is an escaped literal. Braces and quoted strings inside an
 * interpolation are balanced, so `${{for k, v in var.m : k => v}}` is one.
 */
export function interpolations(template: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i)) {
      i += 3;
    } else if (template.startsWith("${", i)) {
      const end = closingBrace(template, i + 2);
      if (end < 0) throw new Error(`unterminated interpolation in ${JSON.stringify(template.slice(i, i + 60))}`);
      found.push(template.slice(i + 2, end));
      i = end + 1;
    } else {
      i += 1;
    }
  }
  return found;
}

function closingBrace(text: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") depth += 1;
    else if (c === "}") {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

/** Every reference (`var.x`, `aws_s3_bucket.b.arn`, `data.t.n.attr`, `module.m.out`, `path.module`) of every string. */
export async function referencesOf(value: Json, where = ""): Promise<Located<string>[]> {
  const found: Located<string>[] = [];
  for (const located of stringsOf(value, where)) {
    for (const expression of interpolations(located.value)) {
      const refs = await getReferencesInExpression("module.tf.json", `"\${${expression}}"`);
      for (const ref of refs) found.push({ where: located.where, value: ref.value });
    }
  }
  return found;
}

/** `depends_on` entries are bare addresses (`aws_cloudwatch_log_group.logs`), not interpolations. */
export function dependsOnOf(value: Json, where = ""): Located<string>[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => dependsOnOf(v, `${where}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = where ? `${where}.${key}` : key;
    if (key === "depends_on" && Array.isArray(v)) {
      return v.filter((d): d is string => typeof d === "string").map((d) => ({ where: at, value: d.replace(/^\$\{(.*)\}$/, "$1") }));
    }
    return dependsOnOf(v, at);
  });
}

const BUILT_IN_ROOTS = new Set(["path", "terraform", "count", "each", "self"]);

/** Why a reference does not resolve in `module`, or undefined when it does. */
export function unresolved(reference: string, module: ModuleJson): string | undefined {
  const [root, first, second] = reference.split(".");
  switch (root) {
    case "var":
      return module.variable?.[first] ? undefined : `variable "${first}" is not declared`;
    case "local":
      return module.locals?.[first] !== undefined ? undefined : `local "${first}" is not declared`;
    case "data":
      return module.data?.[first]?.[second] ? undefined : `data source ${first}.${second} is not declared`;
    case "module":
      return module.module?.[first] ? undefined : `module "${first}" is not declared`;
    default:
      if (BUILT_IN_ROOTS.has(root)) return undefined;
      return module.resource?.[root]?.[first] ? undefined : `resource ${root}.${first} is not declared`;
  }
}

/**
 * Every problem of an emitted module, as readable lines; empty when it is sound.
 * @param files the module's files by relative path, to check that referenced assets ship with it
 */
export async function checkModule(module: ModuleJson, files: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  const raw = module as unknown as Record<string, Json>;
  const terraform = raw.terraform as Record<string, Json>;

  if ("provider" in raw) problems.push("has a provider block; the caller configures providers");
  for (const key of Object.keys(terraform ?? {})) {
    if (key !== "required_providers" && key !== "required_version") problems.push(`terraform.${key}: a module declares no backend or cloud block`);
  }
  const aws = module.terraform?.required_providers?.aws;
  if (aws?.source !== AWS_PROVIDER_REQUIREMENT.source || aws?.version !== AWS_PROVIDER_REQUIREMENT.version) {
    problems.push(`terraform.required_providers.aws is ${JSON.stringify(aws)}, expected ${JSON.stringify(AWS_PROVIDER_REQUIREMENT)}`);
  }

  for (const { where, value } of stringsOf(raw)) {
    if (value.includes("TfToken[") || value.includes("#{TfToken")) problems.push(`${where}: an unresolved cdktf token leaked into the module`);
    for (const match of value.matchAll(/\$\{path\.module\}\/([^"\s}]+)/g)) {
      if (!files.has(match[1])) problems.push(`${where}: references ${match[1]}, which is not shipped beside main.tf.json`);
    }
  }
  if (JSON.stringify(raw).includes('"//"')) problems.push("cdktf `//` metadata left in the module");

  const references = [...(await referencesOf(raw)), ...dependsOnOf(raw)];
  for (const { where, value } of references) {
    const problem = unresolved(value, module);
    if (problem) problems.push(`${where}: ${value}: ${problem}`);
  }

  for (const [name, variable] of Object.entries(module.variable ?? {})) {
    if (!variable.description) problems.push(`variable "${name}" has no description`);
    if (!variable.type) problems.push(`variable "${name}" has no type`);
    const usedOutsideItsValidation = references.some((r) => refersTo(r.value, `var.${name}`) && !r.where.startsWith(`variable.${name}.`));
    if (!usedOutsideItsValidation) problems.push(`variable "${name}" is declared but never used`);
  }
  for (const [name, output] of Object.entries(module.output ?? {})) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) problems.push(`output "${name}" is not snake_case`);
    if (!output.description) problems.push(`output "${name}" has no description`);
    if (!references.some((r) => r.where === `output.${name}.value` || r.where.startsWith(`output.${name}.value.`))) {
      problems.push(`output "${name}" references nothing in the module`);
    }
  }
  return problems;
}

/** `var.a` refers to `var.a`, `var.a.b` and `var.a[0]`, not to `var.ab`. */
function refersTo(reference: string, target: string): boolean {
  return reference === target || reference.startsWith(`${target}.`) || reference.startsWith(`${target}[`);
}

/** Arguments of a module block that Terraform itself consumes, not the module's variables. */
const MODULE_META_ARGUMENTS = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

/**
 * Problems of a root configuration that calls emitted modules: each module
 * block must pass only inputs the module declares and every required one, and
 * every `module.<name>.<output>` it reads must be an output of that module.
 *
 * @param config the configuration as `@cdktf/hcl2json`'s `parse` returns it
 * @param moduleForSource the emitted module a block's `source` points at, or undefined
 */
export async function checkConsumer(
  config: Record<string, Json>,
  moduleForSource: (source: string) => ModuleJson | undefined,
): Promise<string[]> {
  const problems: string[] = [];
  const calls = new Map<string, ModuleJson>();
  for (const [name, blocks] of Object.entries((config.module ?? {}) as Record<string, Record<string, Json>[]>)) {
    for (const block of blocks) {
      const source = String(block.source);
      const module = moduleForSource(source);
      if (!module) {
        problems.push(`module "${name}": source ${source} is not an emitted module`);
        continue;
      }
      calls.set(name, module);
      const variables = module.variable ?? {};
      const inputs = Object.keys(block).filter((key) => !MODULE_META_ARGUMENTS.has(key));
      for (const input of inputs) {
        if (!(input in variables)) problems.push(`module "${name}": unknown input "${input}"; the module declares ${Object.keys(variables).join(", ")}`);
      }
      for (const [variable, declaration] of Object.entries(variables)) {
        if (declaration.default === undefined && !inputs.includes(variable)) problems.push(`module "${name}": required input "${variable}" is not set`);
      }
    }
  }
  for (const { where, value } of await referencesOf(config)) {
    const [root, name, output] = value.split(".");
    if (root !== "module") continue;
    const module = calls.get(name);
    if (!module) problems.push(`${where}: ${value}: no module "${name}" is called`);
    else if (!output || !module.output?.[output]) problems.push(`${where}: ${value}: module "${name}" has no output "${output}"`);
  }
  return problems;
}
