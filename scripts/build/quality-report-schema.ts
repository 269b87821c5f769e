/**
 * Writes `docs/quality-report.schema.json`, the JSON Schema of the quality
 * report, from its one definition (`modules/etl/quality-report.ts`). A test
 * fails when the committed file is stale.
 *
 *   npx tsx scripts/build/quality-report-schema.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { qualityReportJsonSchema } from "../../modules/etl/quality-report";

export const QUALITY_REPORT_SCHEMA_PATH = join(__dirname, "..", "..", "docs", "quality-report.schema.json");

/** The file's text: the schema, two-space indented, one trailing newline. */
export function qualityReportSchemaText(): string {
  return `${JSON.stringify(qualityReportJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const text = qualityReportSchemaText();
  if (process.argv.includes("--check")) {
    const current = readFileSync(QUALITY_REPORT_SCHEMA_PATH, "utf8");
    if (current !== text) {
      console.error("docs/quality-report.schema.json is stale: run npx tsx scripts/build/quality-report-schema.ts");
      process.exitCode = 1;
    }
  } else {
    writeFileSync(QUALITY_REPORT_SCHEMA_PATH, text);
    console.log(QUALITY_REPORT_SCHEMA_PATH);
  }
}
