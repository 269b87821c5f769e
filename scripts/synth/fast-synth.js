#!/usr/bin/env node
/**
 * `npm run synth`: the app bundled once per source change with esbuild, then
 * run from the cached bundle. Loading one pre-transformed file skips tsx's
 * per-module TypeScript transform and most module resolution: ~0.25 s per
 * synth instead of ~1.2 s (see bench/synth.ts). Type-checking is its own step
 * (`npm run typecheck`).
 *
 * Plain JavaScript on purpose: it must start before any TypeScript tooling.
 */
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } = require("node:fs");
const { dirname, join, relative } = require("node:path");

const root = join(__dirname, "..", "..");
const cacheDir = join(root, "build", "synth");
/** Sources the bundle is built from; a change to any of them rebuilds it. */
const INPUTS = ["main.ts", "lakehouse.config.ts", "modules", "scripts", "lambda", "package-lock.json"];
const SOURCE = /\.(ts|js|json)$/;

function sourceFiles(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return SOURCE.test(path) ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => (entry === "node_modules" ? [] : sourceFiles(join(path, entry))));
}

function fingerprint() {
  const hash = createHash("sha256");
  for (const file of INPUTS.flatMap((input) => sourceFiles(join(root, input)))) {
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * Keeps `__dirname` meaning "the folder of this source file" inside the bundle,
 * so the build step that reads the repository (scripts/build: sql/, the Glue
 * templates, the Lambda bundle's cache) works unchanged. The constructs read nothing.
 */
const keepDirname = {
  name: "keep-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("node_modules")) return undefined;
      const dir = relative(root, dirname(args.path)).split("\\").join("/");
      const prelude = `const __dirname = require("node:path").join(__lakehouseRoot, ${JSON.stringify(dir)});\n`;
      return { contents: prelude + readFileSync(args.path, "utf8"), loader: "ts" };
    });
  },
};

function bundle(outfile) {
  const esbuild = require("esbuild");
  const temp = `${outfile}.${process.pid}.tmp`;
  return esbuild
    .build({
      entryPoints: [join(root, "scripts", "synth.ts")],
      outfile: temp,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      logLevel: "error",
      // Native or self-locating packages stay in node_modules.
      external: ["esbuild", "tsx", "@duckdb/*", "@cdktf/hcl2json"],
      banner: { js: `var __lakehouseRoot = require("node:path").join(__dirname, "..", "..");` },
      plugins: [keepDirname],
    })
    .then(() => renameSync(temp, outfile));
}

async function main() {
  const outfile = join(cacheDir, `synth-${fingerprint()}.cjs`);
  if (!existsSync(outfile)) {
    mkdirSync(cacheDir, { recursive: true });
    await bundle(outfile);
  }
  require(outfile);
}

main().catch((error) => {
  console.error(`synth: ${error && error.message ? error.message : error}`);
  process.exit(1);
});
