import { LAKE_LAYOUT, lakePath, qualityReportKey } from "../../modules/config/naming";
import { renderConstants } from "../../modules/etl/render/constants";
import { testConfig } from "../support/synth";

describe("the lake layout: one owner of the paths several parts build", () => {
  test("a path's placeholders are filled from the values given", () => {
    expect(lakePath("quarantineRun", { dataset: "orders", run_id: "jr_1" })).toBe("quarantine/orders/run_id=jr_1/");
    expect(qualityReportKey("batch", "jr_1")).toBe("quality_reports/batch/jr_1.json");
  });

  test("a missing value fails naming the path and the placeholder", () => {
    expect(() => lakePath("temp")).toThrow("lake path temp (_system/tmp/{job}/) needs a value for {job}");
  });

  test("the job scripts get the same templates as the LAYOUT constant, for Python's str.format", () => {
    const rendered = renderConstants(testConfig());
    for (const template of Object.values(LAKE_LAYOUT)) expect(rendered).toContain(JSON.stringify(template));
  });
});
