import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { buildLambdaBundle, lambdaBundleSync, REPO_ROOT, type LambdaBundle } from "../../scripts/bundle/lambda-bundle";

/** The entries of a zip, read from its central directory. */
function zipEntries(zip: Buffer) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const size = zip.readUInt32LE(offset + 20);
    const localData = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    entries.push({
      name: zip.toString("utf8", offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      dosTime: zip.readUInt16LE(offset + 12),
      dosDate: zip.readUInt16LE(offset + 14),
      mode: zip.readUInt32LE(offset + 38) >>> 16,
      extraLength,
      data: zip.subarray(localData, localData + size),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const scratch = mkdtempSync(join(tmpdir(), "lambda-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let first: LambdaBundle;
let second: LambdaBundle;
beforeAll(async () => {
  first = await buildLambdaBundle({ outDir: join(scratch, "a") });
  second = await buildLambdaBundle({ outDir: join(scratch, "b") });
});

test("two independent builds give byte-identical zips", () => {
  expect(second.sha256).toBe(first.sha256);
  expect(readFileSync(second.zipPath).equals(readFileSync(first.zipPath))).toBe(true);
});

test("the zip stays under 20 KB", () => {
  expect(first.bytes).toBeLessThan(20 * 1024);
  expect(statSync(first.zipPath).size).toBe(first.bytes);
});

test("the zip holds only index.js, dated 1980-01-01, mode 0644, without extended timestamps", () => {
  const entries = zipEntries(readFileSync(first.zipPath));
  expect(entries.map((e) => e.name)).toEqual(["index.js"]);
  const [entry] = entries;
  expect(entry.dosDate).toBe((0 << 9) | (1 << 5) | 1);
  expect(entry.dosTime).toBe(0);
  expect(entry.mode).toBe(0o100644);
  expect(entry.extraLength).toBe(0);
});

test("the bundle names no machine path and carries no build time", () => {
  const code = zipEntries(readFileSync(first.zipPath))[0].data.toString("utf8");
  expect(code).not.toContain(REPO_ROOT);
  expect(code).not.toContain(homedir());
  expect(code).not.toContain(tmpdir());
  expect(code).not.toMatch(/sourceMappingURL/);
  expect(code).not.toContain(new Date().toISOString().slice(0, 10));
});

test("the AWS SDK is left to the Lambda runtime", () => {
  const code = zipEntries(readFileSync(first.zipPath))[0].data.toString("utf8");
  expect(code).toContain('require("@aws-sdk/client-s3")');
});

test("the sha256 file and the base64 digest describe the zip", () => {
  expect(readFileSync(`${first.zipPath}.sha256`, "utf8")).toBe(`${first.sha256}  generator.zip\n`);
  expect(Buffer.from(first.sha256Base64, "base64").toString("hex")).toBe(first.sha256);
});

test("a build in another time zone gives the same bytes", () => {
  const out = join(scratch, "tz");
  execFileSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(REPO_ROOT, "scripts/bundle/lambda-bundle.ts"), "--out", out, "--quiet"], {
    env: { ...process.env, TZ: "Pacific/Kiritimati" },
  });
  expect(readFileSync(join(out, "generator.zip")).equals(readFileSync(first.zipPath))).toBe(true);
});

test("the bundled handler runs and writes through the S3 client it is given", async () => {
  // Inside the repository, so the external @aws-sdk/client-s3 resolves from node_modules as it does on Lambda.
  const dir = join(REPO_ROOT, "build", `bundle-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, "index.js"), zipEntries(readFileSync(first.zipPath))[0].data);
    const bundled = require(join(dir, "index.js"));
    const puts: Array<{ Key: string; Body: string }> = [];
    const handler = bundled.createHandler({
      s3: { send: async (command: { input: { Key: string; Body: string } }) => puts.push(command.input) },
      settings: { bucket: "b", rawPrefix: "raw/orders_incremental/", ordersPerInvocation: 4, dirtyRate: 0, catalogSeed: 1, customerCount: 5, productCount: 5 },
      log: () => undefined,
    });
    const result = await handler({}, { awsRequestId: "bundled" });
    expect(puts).toHaveLength(1);
    expect(puts[0].Key).toBe(result.key);
    expect(puts[0].Body.trimEnd().split("\n")).toHaveLength(4);
    expect(typeof bundled.handler).toBe("function");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("the synth-time cache", () => {
  const root = join(scratch, "checkout");
  const out = join(root, "build", "lambda");
  beforeAll(() => cpSync(join(REPO_ROOT, "lambda"), join(root, "lambda"), { recursive: true }));

  test("builds on first use, then reuses the zip while no input changed", () => {
    const built = lambdaBundleSync({ root, outDir: out });
    expect(built.sha256).toBe(first.sha256);
    const manifestBefore = statSync(join(out, "generator.manifest.json")).mtimeMs;

    const reused = lambdaBundleSync({ root, outDir: out });
    expect(reused).toEqual(built);
    expect(statSync(join(out, "generator.manifest.json")).mtimeMs).toBe(manifestBefore);
  });

  test("rebuilds when a bundled source changes", () => {
    const before = readFileSync(join(out, "generator.manifest.json"), "utf8");
    appendFileSync(join(root, "lambda", "handler.ts"), '\nexport const BUNDLE_TEST_MARKER = "changed";\n');
    const rebuilt = lambdaBundleSync({ root, outDir: out });
    expect(readFileSync(join(out, "generator.manifest.json"), "utf8")).not.toBe(before);
    expect(rebuilt.sha256).not.toBe(first.sha256);
  });
});
