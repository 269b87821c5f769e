/**
 * Bundles the generator Lambda (`lambda/handler.ts`) with esbuild into one
 * minified CommonJS file and packs it into a deterministic zip: one entry,
 * fixed DOS timestamp (1980-01-01, no extended-timestamp field), fixed mode
 * 0644, stored uncompressed. The same sources give the same bytes on any
 * machine, checkout path, time zone or Node version, so `source_code_hash`
 * and the Terraform asset path change only when the code does.
 *
 * `@aws-sdk/*` is left external: the nodejs22.x runtime provides SDK v3, the
 * handler makes one `PutObject` call, and bundling `@aws-sdk/client-s3` would
 * grow the zip from ~15 KB to hundreds of KB. The one newer feature used,
 * `IfNoneMatch`, is defence in depth only: keys are unique by request id.
 *
 *   npx tsx scripts/bundle/lambda-bundle.ts [--out build/lambda]   (always rebuilds)
 *
 * Synth calls {@link lambdaBundleSync}, which reuses the last build when no
 * bundled input changed and otherwise builds in a child process (esbuild is
 * synchronous, yazl is not, and synth is).
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { BuildOptions } from "esbuild";
import { deterministicZip, ZIP_MODE } from "./zip";

export { deterministicZip };

export const REPO_ROOT = resolve(__dirname, "..", "..");
/** Relative to the repository root. */
export const LAMBDA_ENTRY = "lambda/handler.ts";
export const DEFAULT_OUT_DIR = "build/lambda";
export const BUNDLE_NAME = "generator";
/** The Lambda handler setting for this bundle. */
export const LAMBDA_HANDLER = "index.handler";

export interface LambdaBundle {
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** Hex sha256 of the zip bytes. */
  readonly sha256: string;
  /** Base64 sha256 of the zip bytes: what `aws_lambda_function.source_code_hash` expects. */
  readonly sha256Base64: string;
  readonly bytes: number;
}

export interface BundleOptions {
  /** @default - this repository */
  readonly root?: string;
  /** Output folder, relative to `root` unless absolute. @default "build/lambda" */
  readonly outDir?: string;
}

const ESBUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  charset: "utf8",
  external: ["@aws-sdk/*"],
  logLevel: "silent",
  // Fixed here rather than read from the nearest tsconfig.json, so the output depends on the sources only.
  tsconfigRaw: { compilerOptions: { strict: true } },
} as const satisfies BuildOptions;

/** The minified handler and the files it was built from (repository-relative, sorted). */
export async function bundleCode(root: string = REPO_ROOT): Promise<{ code: Buffer; inputs: string[] }> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    ...ESBUILD_OPTIONS,
    external: [...ESBUILD_OPTIONS.external],
    absWorkingDir: root,
    entryPoints: [LAMBDA_ENTRY],
    outfile: "index.js",
    write: false,
    metafile: true,
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  return { code, inputs: Object.keys(result.metafile!.inputs).sort() };
}

/** Builds the bundle and zip now, writes them (and a cache manifest), and returns where and what. */
export async function buildLambdaBundle(options: BundleOptions = {}): Promise<LambdaBundle> {
  const root = options.root ?? REPO_ROOT;
  const outDir = resolveOut(root, options.outDir);
  const { code, inputs } = await bundleCode(root);
  const zip = await deterministicZip([{ name: "index.js", data: code }]);
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `${BUNDLE_NAME}.zip`);
  const bundle = describeZip(zipPath, zip);
  writeAtomically(zipPath, zip);
  writeAtomically(join(outDir, `${BUNDLE_NAME}.zip.sha256`), `${bundle.sha256}  ${BUNDLE_NAME}.zip\n`);
  const manifest: Manifest = { cacheKey: cacheKey(), inputs: Object.fromEntries(inputs.map((f) => [f, sha256(readFileSync(join(root, f)))])), sha256: bundle.sha256 };
  writeAtomically(join(outDir, `${BUNDLE_NAME}.manifest.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return bundle;
}

/**
 * The bundle for synth: the previous build when its manifest still matches
 * every bundled input (a few small file reads), else a fresh build in a
 * child process. Synchronous because construct constructors are.
 */
export function lambdaBundleSync(options: BundleOptions = {}): LambdaBundle {
  const root = options.root ?? REPO_ROOT;
  const outDir = resolveOut(root, options.outDir);
  const cached = readCached(root, outDir);
  if (cached) return cached;
  try {
    // This file by its folder, not `__filename`: inside the bundled synth `__filename` is the bundle.
    const script = join(__dirname, "lambda-bundle.ts");
    execFileSync(process.execPath, ["--require", require.resolve("tsx/cjs"), script, "--root", root, "--out", outDir, "--quiet"], {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`bundling the generator Lambda (${LAMBDA_ENTRY}) failed; run "npx tsx scripts/bundle/lambda-bundle.ts" to see why.\n${stderr}`);
  }
  const built = readCached(root, outDir);
  if (!built) throw new Error(`bundling the generator Lambda wrote no usable ${join(outDir, `${BUNDLE_NAME}.zip`)}`);
  return built;
}

interface Manifest {
  /** Changes when the build recipe or the bundler version changes. */
  readonly cacheKey: string;
  /** Repository-relative input path -> sha256 of its content. */
  readonly inputs: Record<string, string>;
  readonly sha256: string;
}

function readCached(root: string, outDir: string): LambdaBundle | undefined {
  const zipPath = join(outDir, `${BUNDLE_NAME}.zip`);
  const manifestPath = join(outDir, `${BUNDLE_NAME}.manifest.json`);
  if (!existsSync(zipPath) || !existsSync(manifestPath)) return undefined;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch {
    return undefined;
  }
  if (manifest.cacheKey !== cacheKey()) return undefined;
  for (const [file, hash] of Object.entries(manifest.inputs ?? {})) {
    const path = join(root, file);
    if (!existsSync(path) || sha256(readFileSync(path)) !== hash) return undefined;
  }
  const bundle = describeZip(zipPath, readFileSync(zipPath));
  return bundle.sha256 === manifest.sha256 ? bundle : undefined;
}

function cacheKey(): string {
  const esbuildVersion: string = require("esbuild/package.json").version;
  const yazlVersion: string = require("yazl/package.json").version;
  return sha256(Buffer.from(JSON.stringify({ esbuildVersion, yazlVersion, ESBUILD_OPTIONS, entry: LAMBDA_ENTRY, mode: ZIP_MODE })));
}

function describeZip(zipPath: string, zip: Buffer): LambdaBundle {
  const digest = createHash("sha256").update(zip).digest();
  return { zipPath, sha256: digest.toString("hex"), sha256Base64: digest.toString("base64"), bytes: zip.length };
}

function resolveOut(root: string, outDir: string = DEFAULT_OUT_DIR): string {
  return isAbsolute(outDir) ? outDir : join(root, outDir);
}

/** Write to a temporary sibling, then rename: concurrent builds (parallel test workers) never see half a file. */
function writeAtomically(path: string, data: Buffer | string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

async function main(argv: string[]): Promise<void> {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = option("--root") ?? REPO_ROOT;
  const bundle = await buildLambdaBundle({ root, outDir: option("--out") });
  if (!argv.includes("--quiet")) {
    console.log(`${relative(process.cwd(), bundle.zipPath) || bundle.zipPath}: ${bundle.bytes} bytes, sha256 ${bundle.sha256}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`lambda-bundle: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
