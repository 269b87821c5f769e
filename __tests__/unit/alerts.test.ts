/**
 * Every way the deployed pipeline fails reaches a person: one encrypted SNS
 * topic only this account's rules and alarms may publish to, rules for the
 * jobs' and crawlers' failures with a message a person can act on, alarms on
 * the generator, and the jobs' late-run notice. Holds at 200 datasets.
 */
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { resolveConfig } from "../../modules/config";
import { EVENT_PATTERN_LIMIT, patternGroups, pipelineEventPattern } from "../../modules/alerts/event-patterns";
import { PipelineAlerts } from "../../modules/alerts/pipeline-alerts";
import { scaleConfig } from "../../examples/scale/scale-config";
import { problemsAfter } from "../support/config-problems";
import { onlyResource, resourcesOfType, synthStack, testConfig, type SynthesizedStack } from "../support/synth";

const { parsed: dev } = synthStack();
const topicRef = (stack: SynthesizedStack) => `\${aws_sns_topic.${Object.keys(stack.resource.aws_sns_topic)[0]}.arn}`;

describe("one notification path", () => {
  test("the topic is encrypted with a KMS key of its own, rotated yearly", () => {
    const key = onlyResource(dev, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(onlyResource(dev, "aws_sns_topic")).toMatchObject({ name: "shoplake-dev-alerts", kms_master_key_id: `\${aws_kms_key.${Object.keys(dev.resource.aws_kms_key)[0]}.arn}` });
  });

  test("only EventBridge rules and CloudWatch alarms of this account and estate may publish", () => {
    const policy = JSON.parse(onlyResource(dev, "aws_sns_topic_policy").policy);
    const account = "${data.aws_caller_identity.current.account_id}";
    expect(policy.Statement.map((s: { Principal: unknown }) => s.Principal)).toEqual([{ Service: "events.amazonaws.com" }, { Service: "cloudwatch.amazonaws.com" }]);
    for (const statement of policy.Statement) {
      expect(statement.Action).toBe("sns:Publish");
      expect(statement.Condition.StringEquals).toEqual({ "aws:SourceAccount": account });
    }
    expect(policy.Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(/:events:eu-west-1:\$\{data\.aws_caller_identity\.current\.account_id\}:rule\/shoplake-dev-\*$/);
    expect(policy.Statement[1].Condition.ArnLike["aws:SourceArn"]).toMatch(/:cloudwatch:eu-west-1:\$\{data\.aws_caller_identity\.current\.account_id\}:alarm:shoplake-dev-\*$/);
  });

  test("the key lets the two publishing services encrypt, and the account's IAM manage it", () => {
    const policy = JSON.parse(onlyResource(dev, "aws_kms_key").policy);
    expect(policy.Statement[1]).toMatchObject({ Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"] });
    expect(policy.Statement[0].Principal.AWS).toMatch(/:iam::\$\{data\.aws_caller_identity\.current\.account_id\}:root$/);
  });

  test("the budget's e-mail addresses are subscribed unless alerts.emails says otherwise", () => {
    expect(resourcesOfType(dev, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint])).toEqual([["email", "data-team@example.com"]]);
    const { parsed } = synthStack(testConfig((c) => (c.alerts = { emails: ["oncall@example.com", "lead@example.com"] })));
    expect(resourcesOfType(parsed, "aws_sns_topic_subscription").map((s) => s.endpoint)).toEqual(["lead@example.com", "oncall@example.com"]);
  });

  test("an existing topic is published to instead, and no topic or key is made", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "composed");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new PipelineAlerts(stack, "alerts", {
      namePrefix: "team-dev",
      environment: "dev",
      accountId: "123456789012",
      region: "eu-west-1",
      topic: { topicArn: "arn:aws:sns:eu-west-1:123456789012:team-pager" },
      jobs: [{ jobName: "team-dev-batch" }],
    });
    const parsed = JSON.parse(Testing.synth(stack)) as SynthesizedStack;
    expect(parsed.resource.aws_sns_topic).toBeUndefined();
    expect(parsed.resource.aws_kms_key).toBeUndefined();
    for (const target of resourcesOfType(parsed, "aws_cloudwatch_event_target")) expect(target.arn).toBe("arn:aws:sns:eu-west-1:123456789012:team-pager");
  });
});

describe("failure events", () => {
  test("each rule's target is the topic, with a message naming the environment, run, state, Glue's message and the console page", () => {
    const targets = resourcesOfType(dev, "aws_cloudwatch_event_target").filter((t) => t.target_id === "alerts-topic");
    expect(targets).toHaveLength(3);
    for (const target of targets) expect(target.arn).toBe(topicRef(dev));
    const jobFailed = targets.find((t) => t.rule.includes("job-failed"))!;
    expect(jobFailed.input_transformer.input_paths).toEqual({ job: "$.detail.jobName", runId: "$.detail.jobRunId", state: "$.detail.state", message: "$.detail.message", time: "$.time" });
    const template = JSON.parse(jobFailed.input_transformer.input_template) as string;
    expect(template).toMatch(/^\[dev\] Glue job <job> run <runId> ended <state> at <time>: <message>\. Open the run: https:\/\/eu-west-1\.console\.aws\.amazon\.com\/gluestudio\/home\?region=eu-west-1#\/job\/<job>\/run\/<runId> ; /);
    expect(template).toMatch(/the quality reports: s3:\/\/.+\/quality_reports\/$/);
  });

  test("the jobs report a run still going after alerts.jobRunLateAfterMinutes (default 15)", () => {
    for (const job of resourcesOfType(dev, "aws_glue_job")) expect(job.notification_property).toEqual({ notify_delay_after: 15 });
    const { parsed } = synthStack(testConfig((c) => (c.alerts = { jobRunLateAfterMinutes: 20 })));
    for (const job of resourcesOfType(parsed, "aws_glue_job")) expect(job.notification_property).toEqual({ notify_delay_after: 20 });
  });

  test("a late-run threshold at or above the job timeout is refused, naming both fields", () => {
    expect(problemsAfter((c) => (c.alerts = { jobRunLateAfterMinutes: 30 }))).toEqual([
      "alerts.jobRunLateAfterMinutes: must be below glue.timeoutMinutes (30): a run is stopped at its timeout, with an alert of its own, before it could be reported late",
    ]);
  });
});

const alarmsByName = (stack: SynthesizedStack): Record<string, Record<string, any>> =>
  Object.fromEntries(resourcesOfType(stack, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name, a]));

describe("alarms on the generator", () => {
  const alarms = Object.fromEntries(Object.entries(alarmsByName(dev)).filter(([name]) => name.includes("-generator-")));

  test("errors, throttles and failed scheduled invocations each raise an alarm to the topic, and clear it", () => {
    expect(Object.keys(alarms).sort()).toEqual(["shoplake-dev-generator-errors", "shoplake-dev-generator-schedule-failed", "shoplake-dev-generator-throttles"]);
    expect(alarms["shoplake-dev-generator-errors"]).toMatchObject({ namespace: "AWS/Lambda", metric_name: "Errors", statistic: "Sum", threshold: 1 });
    expect(alarms["shoplake-dev-generator-throttles"]).toMatchObject({ namespace: "AWS/Lambda", metric_name: "Throttles" });
    expect(alarms["shoplake-dev-generator-schedule-failed"]).toMatchObject({ namespace: "AWS/Events", metric_name: "FailedInvocations" });
    expect(alarms["shoplake-dev-generator-schedule-failed"].dimensions.RuleName).toMatch(/^\$\{aws_cloudwatch_event_rule\.lakehouse_ingestion_schedule_\w+\.name\}$/);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([topicRef(dev)]);
      expect(alarm.ok_actions).toEqual([topicRef(dev)]);
      expect(alarm.treat_missing_data).toBe("notBreaching");
    }
  });

  test("each alarm's description says what to check first", () => {
    for (const alarm of Object.values(alarms)) expect(alarm.alarm_description).toMatch(/ Check first: /);
  });
});

describe("alarms on the jobs' own metrics", () => {
  const alarms = alarmsByName(dev);
  const namespace = "Lakehouse/shoplake-dev";

  test("a feed with no new file processed for 3 periods of the incremental schedule (daily: 72 hours) raises its freshness alarm", () => {
    expect(alarms["shoplake-dev-freshness-orders"]).toMatchObject({
      namespace,
      metric_name: "FilesProcessed",
      dimensions: { Dataset: "orders" },
      statistic: "Sum",
      period: 3600,
      evaluation_periods: 72,
      datapoints_to_alarm: 72,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      alarm_actions: [topicRef(dev)],
      ok_actions: [topicRef(dev)],
    });
  });

  test("no run at all counts as no file processed: the freshness alarm treats missing data as breaching", () => {
    expect(alarms["shoplake-dev-freshness-orders"].treat_missing_data).toBe("breaching");
  });

  test("each job's run that quarantines more than 5% of a dataset's rows raises the job's quality alarm, which sends no all-clear", () => {
    for (const job of ["shoplake-dev-batch", "shoplake-dev-incremental"]) {
      expect(alarms[`${job}-quality`]).toMatchObject({
        namespace,
        metric_name: "WorstQuarantinedPercent",
        dimensions: { JobName: job },
        statistic: "Maximum",
        threshold: 5,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
        alarm_actions: [topicRef(dev)],
      });
      expect(alarms[`${job}-quality`].ok_actions).toBeUndefined();
    }
  });

  test("each metric alarm's description says what to check first", () => {
    expect(alarms["shoplake-dev-freshness-orders"].alarm_description).toMatch(/Check first: npx lakehouse ops status -e dev .*raw\/orders_incremental\//);
    expect(alarms["shoplake-dev-batch-quality"].alarm_description).toMatch(/Check first: the run's quality report under s3:\/\/.*quality_reports\/.*quarantined_by_reason/);
  });

  test("the jobs publish to the environment's namespace and may publish nowhere else", () => {
    for (const job of resourcesOfType(dev, "aws_glue_job")) expect(job.default_arguments["--metrics_namespace"]).toBe(namespace);
    for (const policy of resourcesOfType(dev, "aws_iam_role_policy").filter((p) => p.name.endsWith("-job-least-privilege") || /-(batch|incremental)-job/.test(p.name))) {
      const publish = JSON.parse(policy.policy).Statement.filter((st: any) => [st.Action].flat().includes("cloudwatch:PutMetricData"));
      expect(publish).toEqual([
        { Sid: "PublishJobMetrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"], Condition: { StringEquals: { "cloudwatch:namespace": ["Glue", namespace] } } },
      ]);
    }
  });

  test("alerts.freshnessHours and alerts.quarantinedPercent set the thresholds; null drops those alarms", () => {
    const tuned = alarmsByName(synthStack(testConfig((c) => (c.alerts = { freshnessHours: 30, quarantinedPercent: 12.5 }))).parsed);
    expect(tuned["shoplake-dev-freshness-orders"]).toMatchObject({ evaluation_periods: 30, datapoints_to_alarm: 30 });
    expect(tuned["shoplake-dev-batch-quality"].threshold).toBe(12.5);
    const off = alarmsByName(synthStack(testConfig((c) => (c.alerts = { freshnessHours: null, quarantinedPercent: null }))).parsed);
    expect(Object.keys(off).filter((n) => /freshness|quality/.test(n))).toEqual([]);
  });

  test("an on-demand incremental job (no schedule) gets no freshness alarm unless freshnessHours says how long", () => {
    const onDemand = alarmsByName(synthStack(testConfig((c) => (c.glue = { ...c.glue, incrementalSchedule: null }))).parsed);
    expect(onDemand["shoplake-dev-freshness-orders"]).toBeUndefined();
    const told = alarmsByName(synthStack(testConfig((c) => ((c.glue = { ...c.glue, incrementalSchedule: null }), (c.alerts = { freshnessHours: 24 })))).parsed);
    expect(told["shoplake-dev-freshness-orders"].evaluation_periods).toBe(24);
  });

  test("a quarantined share outside 0-100 is refused naming the field", () => {
    expect(problemsAfter((c) => (c.alerts = { quarantinedPercent: 101 }))).toEqual(["alerts.quarantinedPercent: must be a percentage from 0 to 100"]);
    expect(problemsAfter((c) => (c.alerts = { quarantinedPercent: -1 }))).toEqual(["alerts.quarantinedPercent: must be a percentage from 0 to 100"]);
  });

  test("a freshness window beyond CloudWatch's 7 days, or shorter than one schedule period, is refused naming the field", () => {
    expect(problemsAfter((c) => (c.alerts = { freshnessHours: 169 }))).toEqual([
      "alerts.freshnessHours: must be at most 168 hours (CloudWatch evaluates an alarm over at most 7 days)",
    ]);
    expect(problemsAfter((c) => (c.alerts = { freshnessHours: 12 }))).toEqual([
      "alerts.freshnessHours: must be at least one period of glue.incrementalSchedule (24 hours): the alarm would fire between two healthy runs",
    ]);
  });
});

describe("the dashboard", () => {
  const [dashboard] = resourcesOfType(dev, "aws_cloudwatch_dashboard");
  // As Terraform stores it: `$${` is a literal `${` (the dynamic labels' PROP), not an interpolation.
  const body = JSON.parse(dashboard.dashboard_body.replace(/\$\$\{/g, "${"));
  const titles = body.widgets.map((w: any) => w.properties.title);

  test("one dashboard per environment graphs job runs, rows, the quarantined share, the generator and Athena's bytes scanned", () => {
    expect(dashboard.dashboard_name).toBe("shoplake-dev-pipeline");
    expect(titles).toEqual([
      "Job run seconds",
      "Job runs: succeeded, and failed, timed out or stopped",
      "Rows read and written per dataset",
      "Quarantined share of the rows a run read, per dataset",
      "Order generator",
      "Athena bytes scanned",
    ]);
  });

  test("its graphs of the jobs' metrics search the environment's namespace for the names the jobs publish", () => {
    const expressions = body.widgets.flatMap((w: any) => w.properties.metrics.flat().filter((m: any) => m?.expression).map((m: any) => m.expression));
    expect(expressions).toContain(`SEARCH('{"Lakehouse/shoplake-dev",JobName} MetricName="RunSeconds"', 'Maximum', 3600)`);
    expect(expressions).toContain(`SEARCH('{"Lakehouse/shoplake-dev",Dataset} MetricName="QuarantinedPercent"', 'Maximum', 3600)`);
  });

  test("failed runs are counted by the job-failed rule's matched events, Athena by the workgroup's processed bytes", () => {
    const metrics = body.widgets.flatMap((w: any) => w.properties.metrics);
    expect(metrics).toContainEqual(["AWS/Events", "MatchedEvents", "RuleName", "shoplake-dev-job-failed", { stat: "Sum", label: "failed, timed out or stopped" }]);
    expect(metrics).toContainEqual(["AWS/Athena", "ProcessedBytes", "WorkGroup", "shoplake-dev-analytics", { stat: "Sum" }]);
  });

  test("the body holds no Terraform interpolation: CloudWatch's dynamic labels are escaped, and no reference is left", () => {
    expect(dashboard.dashboard_body).not.toMatch(/(^|[^$])\$\{/);
    expect(dashboard.dashboard_body).toContain("read $${PROP('Dim.Dataset')}");
  });

  test("alerts.dashboard: false deploys none", () => {
    expect(synthStack(testConfig((c) => (c.alerts = { dashboard: false }))).parsed.resource.aws_cloudwatch_dashboard).toBeUndefined();
  });
});

describe("alerts.enabled: false", () => {
  const { parsed } = synthStack(testConfig((c) => (c.alerts = { enabled: false })));

  test("deploys no topic, key, rules for failures or alarms, and no late-run notice", () => {
    for (const type of ["aws_sns_topic", "aws_kms_key", "aws_cloudwatch_metric_alarm"]) expect({ type, found: parsed.resource[type] }).toEqual({ type, found: undefined });
    expect(resourcesOfType(parsed, "aws_cloudwatch_event_rule").map((r) => r.name)).toEqual(["shoplake-dev-order-generator-schedule"]);
    for (const job of resourcesOfType(parsed, "aws_glue_job")) expect(job.notification_property).toBeUndefined();
  });

  test("the jobs publish no metrics of their own and deploy no dashboard", () => {
    for (const job of resourcesOfType(parsed, "aws_glue_job")) expect(job.default_arguments["--metrics_namespace"]).toBeUndefined();
    expect(parsed.resource.aws_cloudwatch_dashboard).toBeUndefined();
  });
});

describe("at 200 datasets", () => {
  const config = scaleConfig(200);
  config.budget = { ...config.budget, allowOverBudget: true };
  const { parsed } = synthStack(resolveConfig(config));

  test("one quality alarm per job and one freshness alarm per feed, not one per dataset", () => {
    const jobs = resourcesOfType(parsed, "aws_glue_job").length;
    const names = resourcesOfType(parsed, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name as string);
    expect(names.filter((n) => n.endsWith("-quality"))).toHaveLength(jobs);
    expect(names.filter((n) => n.includes("-freshness-"))).toEqual(["shoplake-dev-freshness-orders"]);
  });

  test("the dashboard's body stays far below CloudWatch's 1 MB and each graph within 100 metrics", () => {
    const [dashboard] = resourcesOfType(parsed, "aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_body.length).toBeLessThan(10_000);
    for (const widget of JSON.parse(dashboard.dashboard_body).widgets) expect(widget.properties.metrics.length).toBeLessThanOrEqual(100);
  });

  test("one job-failed rule lists every job, within EventBridge's pattern limit", () => {
    const jobs = resourcesOfType(parsed, "aws_glue_job").map((j) => j.name).sort();
    const rules = resourcesOfType(parsed, "aws_cloudwatch_event_rule").filter((r) => r.name.endsWith("-job-failed"));
    expect(rules).toHaveLength(1);
    const pattern = rules[0].event_pattern as string;
    expect(JSON.parse(pattern).detail.jobName.sort()).toEqual(jobs);
    expect(pattern.length).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
  });
});

describe("patterns that outgrow one rule", () => {
  test("names beyond one pattern's limit are split across rules, each within it, none lost or repeated", () => {
    const names = Array.from({ length: 200 }, (_, i) => `a-rather-long-estate-prefix-prod-batch-${i + 1}`);
    const groups = patternGroups("job-failed", "123456789012", names);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(names);
    for (const group of groups) expect(JSON.stringify(pipelineEventPattern("job-failed", "123456789012", group)).length).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
  });
});
