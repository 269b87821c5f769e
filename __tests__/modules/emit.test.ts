import { AssetType, TerraformAsset } from "cdktf";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OwnedOutputFolder } from "../../scripts/lib/owned-output";
import { filesUnder, moduleContext, synthesizeModule, writeModule } from "../../scripts/modules/emit";
import type { TerraformModuleDefinition } from "../../modules/terraform-module";
import { moduleInput, moduleOutput } from "../../modules/terraform-module";
import { emitAll } from "../support/emit-modules";
import { testConfig } from "../support/synth";

const repo = join(__dirname, "..", "..");

describe("emitting modules", () => {
  const scratch = mkdtempSync(join(tmpdir(), "lakehouse-emit-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("the same config emits byte-identical files, twice", async () => {
    const first = await emitAll();
    const second = await emitAll();
    try {
      const a = filesUnder(first.dir);
      const b = filesUnder(second.dir);
      expect([...a.keys()]).toEqual([...b.keys()]);
      for (const [file, bytes] of a) expect({ file, same: bytes.equals(b.get(file)!) }).toEqual({ file, same: true });
    } finally {
      first.cleanup();
      second.cleanup();
    }
  });

  test("the emitted files name no machine path", async () => {
    const { dir, cleanup } = await emitAll();
    try {
      for (const [file, bytes] of filesUnder(dir)) {
        if (!/\.(json|md)$/.test(file)) continue;
        const text = bytes.toString("utf8");
        // The emitter synthesizes in a scratch folder named lakehouse-module-<name>-XXXXXX.
        const scratchPath = text.includes(join(tmpdir(), "lakehouse-module")) || text.includes(dir);
        expect({ file, repo: text.includes(repo), scratchPath }).toEqual({ file, repo: false, scratchPath: false });
      }
    } finally {
      cleanup();
    }
  });

  test("an asset is copied beside main.tf.json and referenced through ${path.module}", () => {
    const source = join(scratch, "payload.txt");
    writeFileSync(source, "hello\n");
    const definition: TerraformModuleDefinition = {
      name: "with-asset",
      description: "A module with one file asset",
      usage: { bucket_name: '"b"' },
      build(stack) {
        const bucket = moduleInput(stack, "bucket_name", { type: "string", description: "Bucket" });
        const asset = new TerraformAsset(stack, "payload", { path: source, type: AssetType.FILE });
        const object = new S3Object(stack, "object", { bucket: bucket.stringValue, key: "payload.txt", source: asset.path });
        moduleOutput(stack, "object_key", object.key, "Key of the object");
      },
    };
    const module = synthesizeModule(definition, moduleContext(testConfig()));
    const object = Object.values(module.json.resource!.aws_s3_object)[0] as { source: string };
    expect(object.source).toMatch(/^\$\{path\.module\}\/assets\/payload\/[0-9A-F]+\/payload\.txt$/);
    const shipped = object.source.replace("${path.module}/", "");
    expect(module.files.get(shipped)!.toString("utf8")).toBe("hello\n");

    const dir = writeModule(OwnedOutputFolder.open(join(scratch, "out"), { command: "lakehouse modules", what: "modules", projectRoot: repo }), module);
    expect(readFileSync(join(dir, shipped), "utf8")).toBe("hello\n");
  });

  test("the lakehouse module ships the ingestion Lambda's zip it references", async () => {
    const { modules, cleanup } = await emitAll();
    cleanup();
    const lakehouse = modules.find((m) => m.name === "lakehouse")!;
    const functions = Object.values(lakehouse.json.resource!.aws_lambda_function ?? {}) as { filename: string }[];
    for (const fn of functions) expect(lakehouse.files.has(fn.filename.replace("${path.module}/", ""))).toBe(true);
  });

  test("two construct paths that would share a logical id fail the emit", () => {
    const definition: TerraformModuleDefinition = {
      name: "clash",
      description: "Two ids that join to the same name",
      usage: {},
      build(stack) {
        const bucket = moduleInput(stack, "a_b", { type: "string", description: "x" });
        new S3Object(stack, "a_b_c", { bucket: bucket.stringValue, key: "1", content: "1" });
        const { Construct } = require("constructs") as typeof import("constructs");
        new S3Object(new Construct(new Construct(stack, "a"), "b"), "c", { bucket: bucket.stringValue, key: "2", content: "2" });
      },
    };
    expect(() => synthesizeModule(definition, moduleContext(testConfig()))).toThrow(/logical id "a_b_c" would be shared by a_b_c and a\/b\/c/);
  });
});
