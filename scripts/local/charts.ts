/**
 * Charts for the local report, rendered to SVG in Node with Vega-Lite: no
 * browser, no canvas, and the SVG is inlined so the page is self-contained.
 */
type Row = Record<string, unknown>;

/** A Vega-Lite spec without data; rows are attached by {@link renderChart}. */
export type ChartSpec = Record<string, unknown>;

const WIDTH = 640;

export async function renderChart(spec: ChartSpec, rows: Row[]): Promise<string> {
  // vega and vega-lite ship as ES modules only; their types need "bundler" resolution,
  // which this CommonJS project does not use, so the two calls are typed here.
  const vega = await import("vega");
  const vegaLite = (await import("vega-lite" as string)) as { compile(spec: unknown): { spec: object } };
  const full = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width: WIDTH, height: 260, ...spec, data: { values: rows } };
  const compiled = vegaLite.compile(full).spec;
  const view = new vega.View(vega.parse(compiled as Parameters<typeof vega.parse>[0]), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export const dailyRevenueChart: ChartSpec = {
  title: "Daily revenue (USD)",
  mark: { type: "line", point: false, tooltip: true },
  encoding: {
    x: { field: "order_date", type: "temporal", title: "order date (UTC)" },
    y: { field: "revenue", type: "quantitative", title: "revenue" },
  },
};

export const topProductsChart: ChartSpec = {
  title: "Top products by revenue (USD)",
  mark: "bar",
  encoding: {
    y: { field: "name", type: "nominal", sort: "-x", title: null },
    x: { field: "revenue", type: "quantitative", title: "revenue" },
    color: { field: "category", type: "nominal" },
  },
};

export const regionChart: ChartSpec = {
  title: "Revenue by customer region (USD)",
  mark: "bar",
  encoding: {
    x: { field: "region", type: "nominal", sort: "-y", title: null, axis: { labelAngle: 0 } },
    y: { field: "revenue", type: "quantitative", title: "revenue" },
    tooltip: [{ field: "customers" }, { field: "orders" }, { field: "avg_order_value" }],
  },
};

export const ltvDistributionChart: ChartSpec = {
  title: "Customer lifetime value distribution",
  mark: "bar",
  encoding: {
    x: { field: "lifetime_revenue", type: "quantitative", bin: { maxbins: 30 }, title: "lifetime revenue (USD)" },
    y: { aggregate: "count", type: "quantitative", title: "customers" },
  },
};

export const qualityChart: ChartSpec = {
  title: "Rows per job run",
  mark: "bar",
  encoding: {
    x: { field: "run", type: "nominal", title: "job run (oldest first)", sort: null, axis: { labelAngle: -30 } },
    y: { field: "rows", type: "quantitative", title: "rows", stack: "zero" },
    color: {
      field: "outcome",
      type: "nominal",
      scale: { domain: ["curated", "quarantined", "duplicates"], range: ["#2f7d32", "#c62828", "#9e9e9e"] },
    },
  },
};
