import { readFileSync } from "node:fs";
import { join } from "node:path";
import { qualityReportSchema, unbalancedCounts } from "../../modules/etl/quality-report";
import { QUALITY_REPORT_SCHEMA_PATH, qualityReportSchemaText } from "../../scripts/build/quality-report-schema";

const docsExample = () => {
  const etl = readFileSync(join(__dirname, "..", "..", "docs", "etl.md"), "utf8");
  const section = etl.slice(etl.indexOf("## The quality report"));
  return JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]);
};

describe("the quality report contract", () => {
  test("docs/quality-report.schema.json is generated from the report's one definition", () => {
    expect(readFileSync(QUALITY_REPORT_SCHEMA_PATH, "utf8")).toBe(qualityReportSchemaText());
  });

  test("the example report in docs/etl.md is in the report format", () => {
    expect(qualityReportSchema.safeParse(docsExample()).error).toBeUndefined();
  });

  test("a report with a key the format does not know is refused", () => {
    expect(qualityReportSchema.safeParse({ ...docsExample(), rows_lost: 0 }).success).toBe(false);
  });

  test("a report missing a dataset count is refused, naming the count", () => {
    const report = docsExample();
    delete report.datasets.orders.rows_quarantined;
    expect(qualityReportSchema.safeParse(report).error?.issues[0].path).toEqual(["datasets", "orders", "rows_quarantined"]);
  });

  test("counts that do not add up are named by dataset", () => {
    const report = qualityReportSchema.parse(docsExample());
    const broken = { ...report, datasets: { orders: { ...report.datasets.orders, rows_written: 90 } } };
    expect(unbalancedCounts(broken)).toEqual(["orders: read 100 != written 90 + quarantined 2 + duplicates 2"]);
  });
});
