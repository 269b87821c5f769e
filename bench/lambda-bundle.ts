/**
 * bench/lambda-bundle: builds the generator Lambda zip in two independent
 * temporary copies of lambda/ and prints size, sha256 and build time of each
 * (the two sha256 must match), then the cost of a synth-time cache miss and hit and,
 * for comparison, the size the zip would have with @aws-sdk/client-s3 bundled.
 *
 *   npx tsx bench/lambda-bundle.ts
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { buildLambdaBundle, deterministicZip, lambdaBundleSync, LAMBDA_ENTRY, REPO_ROOT } from "../scripts/bundle/lambda-bundle";

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "bench-lambda-"));
  try {
    const results = [];
    for (const name of ["copy-a", "copy-b"]) {
      const root = join(scratch, name);
      cpSync(join(REPO_ROOT, "lambda"), join(root, "lambda"), { recursive: true });
      const started = performance.now();
      const bundle = await buildLambdaBundle({ root, outDir: join(root, "build") });
      results.push({ name, ms: performance.now() - started, ...bundle });
    }
    for (const r of results) console.log(`${r.name}: ${r.bytes} bytes  sha256 ${r.sha256}  built in ${r.ms.toFixed(0)} ms`);
    console.log(results[0].sha256 === results[1].sha256 ? "identical: yes" : "identical: NO (the build is not deterministic)");

    const cold = join(scratch, "copy-cold");
    cpSync(join(REPO_ROOT, "lambda"), join(cold, "lambda"), { recursive: true });
    const missStarted = performance.now();
    lambdaBundleSync({ root: cold, outDir: join(cold, "build") });
    console.log(`synth-time cache miss (lambdaBundleSync, child process): ${(performance.now() - missStarted).toFixed(0)} ms`);

    const root = join(scratch, "copy-a");
    const hits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      lambdaBundleSync({ root, outDir: join(root, "build") });
      hits.push(performance.now() - started);
    }
    hits.sort((a, b) => a - b);
    console.log(`synth-time cache hit (lambdaBundleSync): median ${hits[10].toFixed(2)} ms over 20 calls`);

    const esbuild = await import("esbuild");
    const withSdk = await esbuild.build({
      absWorkingDir: REPO_ROOT,
      entryPoints: [LAMBDA_ENTRY],
      bundle: true,
      platform: "node",
      target: "node22",
      format: "cjs",
      minify: true,
      write: false,
      outfile: "index.js",
      logLevel: "silent",
    });
    const code = Buffer.from(withSdk.outputFiles[0].contents);
    const zip = await deterministicZip([{ name: "index.js", data: code }]);
    console.log(`for comparison, with @aws-sdk/client-s3 bundled: ${code.length} bytes of code, ${zip.length} bytes zipped (stored)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
