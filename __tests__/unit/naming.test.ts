import { LAKE_LAYOUT, lakePath, qualityReportKey, systemPrefixProblem } from "../../modules/config/naming";
import { renderConstants } from "../../modules/etl/render/constants";
import { testConfig } from "../support/synth";

describe("the lake layout: one owner of the paths several parts build", () => {
  test("a path's placeholders are filled from the values given", () => {
    expect(lakePath("quarantineRun", { dataset: "orders", run_id: "jr_1" })).toBe("quarantine/orders/run_id=jr_1/");
    expect(qualityReportKey("", "batch", "jr_1")).toBe("quality_reports/batch/jr_1.json");
  });

  test("a missing value fails naming the path and the placeholder", () => {
    expect(() => lakePath("temp", { system_prefix: "" })).toThrow("lake path temp ({system_prefix}_system/tmp/{job}/) needs a value for {job}");
  });

  test("a system path cannot be built without saying its system prefix, even an empty one", () => {
    expect(() => lakePath("scripts")).toThrow("needs a value for {system_prefix}");
  });

  test("the system keys follow the system prefix; the data zones stay at the root", () => {
    const values = { system_prefix: "teams/shop/", job: "batch", dataset: "orders", run_id: "r1" };
    expect(lakePath("temp", values)).toBe("teams/shop/_system/tmp/batch/");
    expect(lakePath("manifests", values)).toBe("teams/shop/_system/manifests/orders/");
    expect(qualityReportKey("teams/shop/", "batch", "r1")).toBe("teams/shop/quality_reports/batch/r1.json");
    expect(lakePath("quarantineRun", values)).toBe("quarantine/orders/run_id=r1/");
  });

  test("the job scripts get the same templates as the LAYOUT constant, for Python's str.format", () => {
    const rendered = renderConstants(testConfig());
    for (const template of Object.values(LAKE_LAYOUT)) expect(rendered).toContain(JSON.stringify(template));
  });
});

describe("a system prefix is a valid S3 key prefix outside the zones", () => {
  test.each(["", "shop/", "teams/shop-1/", "a.b_c/d/"])("%j is allowed", (prefix) => {
    expect(systemPrefixProblem(prefix)).toBeUndefined();
  });

  test.each([
    ["teams/shop", 'ending with "/"'],
    ["/teams/", "S3 key prefix of folders"],
    ["teams//shop/", "S3 key prefix of folders"],
    ["teams/*/", "S3 key prefix of folders"],
    ["teams/${aws:username}/", "S3 key prefix of folders"],
    ["curated/shop/", "must not start inside a zone"],
    ["quality_reports/team/", "must not start inside a zone"],
    [`${"x".repeat(64)}/`, "at most 64 characters"],
  ])("%j is refused: %s", (prefix, reason) => {
    expect(systemPrefixProblem(prefix)).toContain(reason);
  });
});
