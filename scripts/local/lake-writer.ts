import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type { PutObjectCommand } from "@aws-sdk/client-s3";
import type { ObjectWriter } from "../../lambda/handler";

/**
 * The local lake's stand-in for S3 PutObject: writes the object under the lake
 * folder at its key, so the generator Lambda's own code path
 * (`writeOrderBatch`) runs unchanged on a laptop. Honours `If-None-Match: *`
 * like S3 does: an existing object is never overwritten.
 */
export class LocalObjectWriter implements ObjectWriter {
  private readonly root: string;

  constructor(lakeDir: string) {
    this.root = resolve(lakeDir);
  }

  async send(command: PutObjectCommand): Promise<{ key: string }> {
    const { Key, Body, IfNoneMatch } = command.input;
    if (!Key) throw new Error("PutObject without a Key");
    const path = resolve(join(this.root, Key));
    if (!path.startsWith(this.root + sep)) throw new Error(`key "${Key}" escapes the lake folder`);
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, typeof Body === "string" || Body instanceof Uint8Array ? Body : String(Body ?? ""), {
        flag: IfNoneMatch === "*" ? "wx" : "w",
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        throw Object.assign(new Error(`At least one of the pre-conditions you specified did not hold (${Key} exists)`), {
          name: "PreconditionFailed",
        });
      }
      throw error;
    }
    return { key: Key };
  }
}
