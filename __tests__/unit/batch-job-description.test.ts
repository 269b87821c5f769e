import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resourcesOfType, synthStack } from "../support/synth";

describe("the batch job's description", () => {
  test("says what batch_job.py does: every dataset is upserted by primary key, none replaced", () => {
    const template = readFileSync(join(__dirname, "..", "..", "modules", "etl", "templates", "batch_job.py"), "utf8");
    expect(template).toMatch(/Every dataset is upserted by primary key/);
    const batch = resourcesOfType(synthStack().parsed, "aws_glue_job").find((job) => String(job.name).endsWith("-batch"));
    expect(batch?.description).toBe("Raw CSV -> curated Parquet; every dataset upserted by primary key");
  });
});
