import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { terraformLiteral } from "../etl/terraform-literal";
import { DATASET_METRICS, JOB_METRICS, METRIC_DIMENSIONS } from "../config/metrics";

/** Names are literal (as the constructs name the resources), so the body reads plainly in a plan and its size is known at synth. */
export interface PipelineDashboardProps {
  readonly dashboardName: string;
  readonly region: string;
  /** The jobs' namespace (`metricsNamespace()`): the graphs search it, so a dataset or job added later shows up by itself. */
  readonly metricsNamespace: string;
  /** Names of the EventBridge rules of failed, timed-out and stopped runs: their matched events count the failures. */
  readonly failedRunRuleNames?: readonly string[];
  /** The generator function, for its invocations, errors and throttles. @default - no generator graph */
  readonly generatorFunctionName?: string;
  /** The Athena workgroup, for its bytes scanned (it must publish CloudWatch metrics). @default - no Athena graph */
  readonly workgroupName?: string;
  /** A horizontal line on the quarantined-share graph: the quality alarms' threshold. @default - none */
  readonly quarantinedPercent?: number;
}

const HOUR = 3600;
const WIDTH = 12;
const HEIGHT = 6;

/** One graph: `metrics` in the dashboard body's array form. */
interface Graph {
  readonly title: string;
  readonly metrics: readonly unknown[][];
  readonly stat?: string;
  readonly yAxisLabel?: string;
  readonly threshold?: { label: string; value: number };
}

/**
 * One environment's pipeline on one page: job run seconds and outcomes, rows
 * read and written and the quarantined share per dataset (from the jobs' own
 * metrics, `modules/config/metrics.ts`), the generator, and Athena's bytes
 * scanned. The job and dataset graphs are metric searches over the
 * environment's namespace: one graph serves 3 or 200 datasets, and the body
 * stays the same size (a dashboard holds at most 500 widgets, a graph 100 metrics).
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const search = (dimension: string, metric: string, stat: string, label: string, id: string) => [
      // Without a label each series found is named by its dimension value; a dynamic label (${PROP('Dim.X')}) keeps it
      // beside a prefix, escaped so Terraform stores CloudWatch's ${ verbatim instead of reading an interpolation.
      { expression: `SEARCH('{"${props.metricsNamespace}",${dimension}} MetricName="${metric}"', '${stat}', ${HOUR})`, id, ...(label ? { label: terraformLiteral(label) } : {}) },
    ];
    const { job, dataset } = METRIC_DIMENSIONS;
    const graphs: Graph[] = [
      {
        title: "Job run seconds",
        metrics: [search(job, JOB_METRICS.runSeconds.name, "Maximum", "", "seconds")],
        yAxisLabel: "seconds",
      },
      {
        title: "Job runs: succeeded, and failed, timed out or stopped",
        metrics: [
          search(job, JOB_METRICS.runsSucceeded.name, "Sum", `succeeded \${PROP('Dim.${job}')}`, "succeeded"),
          ...(props.failedRunRuleNames ?? []).map((rule) => ["AWS/Events", "MatchedEvents", "RuleName", rule, { stat: "Sum", label: "failed, timed out or stopped" }]),
        ],
        stat: "Sum",
      },
      {
        title: "Rows read and written per dataset",
        metrics: [
          search(dataset, DATASET_METRICS.rowsRead.name, "Sum", `read \${PROP('Dim.${dataset}')}`, "read"),
          search(dataset, DATASET_METRICS.rowsWritten.name, "Sum", `written \${PROP('Dim.${dataset}')}`, "written"),
        ],
      },
      {
        title: "Quarantined share of the rows a run read, per dataset",
        metrics: [search(dataset, DATASET_METRICS.quarantinedPercent.name, "Maximum", "", "quarantined")],
        yAxisLabel: "%",
        threshold: props.quarantinedPercent === undefined ? undefined : { label: "quality alarm", value: props.quarantinedPercent },
      },
    ];
    if (props.generatorFunctionName) {
      const fn = props.generatorFunctionName;
      graphs.push({
        title: "Order generator",
        metrics: ["Invocations", "Errors", "Throttles"].map((name) => ["AWS/Lambda", name, "FunctionName", fn, { stat: "Sum" }]),
        stat: "Sum",
      });
    }
    if (props.workgroupName) {
      graphs.push({
        title: "Athena bytes scanned",
        metrics: [["AWS/Athena", "ProcessedBytes", "WorkGroup", props.workgroupName, { stat: "Sum" }]],
        stat: "Sum",
        yAxisLabel: "bytes",
      });
    }

    const widgets = graphs.map((graph, i) => ({
      type: "metric",
      x: (i % 2) * WIDTH,
      y: Math.floor(i / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: graph.title,
        region: props.region,
        view: "timeSeries",
        period: HOUR,
        stat: graph.stat ?? "Sum",
        metrics: graph.metrics,
        ...(graph.yAxisLabel ? { yAxis: { left: { label: graph.yAxisLabel, min: 0 } } } : {}),
        ...(graph.threshold ? { annotations: { horizontal: [graph.threshold] } } : {}),
      },
    }));
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ start: "-P7D", widgets }),
    });
    this.dashboardName = this.dashboard.dashboardName;
  }
}

/** How many metrics the dashboard graphs (what CloudWatch's free dashboards count, at most 50 each): each search, each listed metric. */
export function dashboardMetricCount(props: Pick<PipelineDashboardProps, "failedRunRuleNames" | "generatorFunctionName" | "workgroupName">, datasets: number, jobs: number): number {
  return jobs * 2 + datasets * 3 + (props.failedRunRuleNames?.length ?? 0) + (props.generatorFunctionName ? 3 : 0) + (props.workgroupName ? 1 : 0);
}
