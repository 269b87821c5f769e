import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { AlertTopic, type IAlertTopic } from "./alert-topic";
import { ALERT_DEFAULTS } from "./defaults";
import { DATASET_METRICS, JOB_METRICS, METRIC_DIMENSIONS } from "../config/metrics";
import { alertMessage, patternGroups, pipelineEventPattern, type PipelineEventKind } from "./event-patterns";

/**
 * A Glue job to watch, by its literal name: the rules list names, and their
 * patterns must fit EventBridge's 2048 characters, measured at synth.
 */
export interface WatchedJob {
  readonly jobName: string;
}

/** A crawler to watch, by its literal name (as {@link WatchedJob}). */
export interface WatchedCrawler {
  readonly crawlerName: string;
}

/** A scheduled Lambda function to watch: `OrderIngestion`, or any function of yours. */
export interface WatchedFunction {
  readonly functionName: string;
  /** The EventBridge rule that invokes it on a schedule, if any. */
  readonly rule?: { readonly name: string };
}

/** A dataset fed incrementally: alarmed when no run processed a new file of it for a while. */
export interface WatchedFeed {
  readonly dataset: string;
  /** Where its files arrive (`s3://<bucket>/raw/<folder>/`), for the alarm's first check. */
  readonly location: string;
}

/** Alarms on the jobs' own metrics (`modules/config/metrics.ts`). */
export interface PipelineMetricAlarms {
  /** The namespace the jobs publish to (`GlueJobs` `metricsNamespace`). */
  readonly namespace: string;
  /** Feeds whose freshness is watched. @default [] */
  readonly feeds?: readonly WatchedFeed[];
  /**
   * Hours without a new file of a feed processed before its alarm fires; missing
   * data counts as none processed. 1..168. @default - no freshness alarms
   */
  readonly freshnessHours?: number;
  /**
   * Percent of one run's rows of a dataset quarantined above which the run's job's
   * quality alarm fires (one alarm per watched job, on its `WorstQuarantinedPercent`).
   * @default - no quality alarms
   */
  readonly quarantinedPercent?: number;
  /** What to run first, e.g. `npx lakehouse ops status -e dev`. @default - nothing */
  readonly statusCommand?: string;
  /** Where the runs' quality reports are, for the quality alarm's first check. @default - not named */
  readonly reportsLocation?: string;
}

export interface PipelineAlertsProps {
  /** Stem of every rule and alarm name (`<prefix>-<env>`), and of the topic's when one is made here. */
  readonly namePrefix: string;
  /** The environment, first in every message (`[dev] ...`). */
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Publish to this topic instead of making one: its policy must let this
   * account's EventBridge rules and CloudWatch alarms named `<namePrefix>-*`
   * publish, and its KMS key (if any) let both services use it.
   * @default - an {@link AlertTopic} named `<namePrefix>-alerts`
   */
  readonly topic?: IAlertTopic;
  /** Who the topic made here e-mails. Ignored with `topic`. @default [] */
  readonly emails?: readonly string[];
  /** Jobs whose failed, timed-out or stopped runs, and late runs, reach a person. */
  readonly jobs: readonly WatchedJob[];
  /** Crawlers whose failures reach a person. @default [] */
  readonly crawlers?: readonly WatchedCrawler[];
  /** A function whose errors, throttles and failed scheduled invocations reach a person. @default - none */
  readonly generator?: WatchedFunction;
  /**
   * What a job's alert ends with: where to look next, e.g. the run's quality
   * report; `<job>` and `<runId>` are filled from the event. @default - nothing
   */
  readonly jobRunHint?: string;
  /** Freshness and quality alarms on the jobs' own metrics. @default - none */
  readonly metrics?: PipelineMetricAlarms;
}

/**
 * Every way the deployed pipeline fails, told to a person: EventBridge rules
 * for the jobs' failed, timed-out, stopped and late runs and the crawlers'
 * failures, each turned into a message naming the environment, the run, its
 * state, Glue's message and the console page; and CloudWatch alarms on the
 * generator's errors and throttles and on its schedule's failed invocations.
 * All publish to one SNS topic.
 *
 * Late runs need the jobs' `notification_property` (`notifyDelayAfter`), which
 * `GlueJobs` sets from `jobRunLateAfterMinutes`.
 */
export class PipelineAlerts extends Construct {
  /** Where the alerts go. */
  readonly topic: IAlertTopic;
  readonly topicArn: string;
  /** The EventBridge rules, by kind (a kind has several rules when its names outgrow one pattern). */
  readonly rules: Readonly<Record<PipelineEventKind, readonly CloudwatchEventRule[]>>;
  /** The rules' names as literals, by kind (for a dashboard that counts their matched events). */
  readonly ruleNames: Readonly<Record<PipelineEventKind, readonly string[]>>;
  readonly alarms: readonly CloudwatchMetricAlarm[];
  private readonly stem: string;

  constructor(scope: Construct, id: string, props: PipelineAlertsProps) {
    super(scope, id);
    const stem = props.namePrefix;
    this.stem = stem;
    this.topic =
      props.topic ??
      new AlertTopic(this, "topic", {
        topicName: `${stem}-alerts`,
        accountId: props.accountId,
        region: props.region,
        publisherNamePrefix: `${stem}-`,
        emails: props.emails,
      });
    this.topicArn = this.topic.topicArn;

    const jobNames = props.jobs.map((j) => j.jobName);
    const crawlerNames = (props.crawlers ?? []).map((c) => c.crawlerName);
    this.rules = {
      "job-failed": this.eventRules("job-failed", jobNames, props, "a run of the pipeline's Glue jobs failed, timed out or was stopped"),
      "job-run-late": this.eventRules("job-run-late", jobNames, props, "a run of the pipeline's Glue jobs is still running long after it usually ends"),
      "crawler-failed": this.eventRules("crawler-failed", crawlerNames, props, "a crawl of the pipeline's Glue crawlers failed"),
    };

    this.ruleNames = Object.fromEntries(
      Object.entries(this.rules).map(([kind, rules]) => [kind, rules.map((_, index) => ruleName(stem, kind as PipelineEventKind, index))]),
    ) as Record<PipelineEventKind, string[]>;

    const alarms: CloudwatchMetricAlarm[] = [];
    if (props.generator) {
      const fn = props.generator.functionName;
      alarms.push(
        this.alarm("generator-errors", `${stem}-generator-errors`, {
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions: { FunctionName: fn },
          description: `The order generator ${fn} failed an invocation, so no orders file was written for it. Check first: its log group /aws/lambda/${fn} (the error line names the S3 key or setting), then the lake bucket's raw/ prefix.`,
        }),
        this.alarm("generator-throttles", `${stem}-generator-throttles`, {
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions: { FunctionName: fn },
          description: `Lambda throttled the order generator ${fn}, so a scheduled batch of orders was not written. Check first: its reserved concurrency (ingestion.reservedConcurrency) and the account's unreserved concurrency.`,
        }),
      );
      const rule = props.generator.rule;
      if (rule) {
        alarms.push(
          this.alarm("generator-schedule-failed", `${stem}-generator-schedule-failed`, {
            namespace: "AWS/Events",
            metricName: "FailedInvocations",
            dimensions: { RuleName: rule.name },
            description: `EventBridge could not invoke the order generator ${fn} from its schedule. Check first: the function's resource policy (lambda:InvokeFunction for events.amazonaws.com) and that the function exists.`,
          }),
        );
      }
    }
    if (props.metrics) alarms.push(...this.metricAlarms(props.metrics, props.jobs));
    this.alarms = alarms;
  }

  /** A feed's freshness and the jobs' quality, from the counts every job run publishes. */
  private metricAlarms(metrics: PipelineMetricAlarms, jobs: readonly WatchedJob[]): CloudwatchMetricAlarm[] {
    const stem = this.stem;
    const alarms: CloudwatchMetricAlarm[] = [];
    const status = metrics.statusCommand ? `${metrics.statusCommand} (the last incremental run and the newest feed file's age), then ` : "";
    const hours = metrics.freshnessHours;
    if (hours !== undefined) {
      if (!Number.isInteger(hours) || hours < 1 || hours > ALERT_DEFAULTS.maxFreshnessHours) {
        throw new Error(`PipelineAlerts: metrics.freshnessHours must be a whole number from 1 to ${ALERT_DEFAULTS.maxFreshnessHours}, not ${hours}`);
      }
      for (const feed of metrics.feeds ?? []) {
        alarms.push(
          new CloudwatchMetricAlarm(this, `freshness-${feed.dataset}`, {
            alarmName: `${stem}-freshness-${feed.dataset}`,
            alarmDescription:
              `No incremental run has processed a new file of ${feed.dataset} for ${hours} hours: the runs stopped or the feed did. ` +
              `Check first: ${status}the incremental job's trigger and runs in the Glue console, and the newest file under ${feed.location}.`,
            namespace: metrics.namespace,
            metricName: DATASET_METRICS.filesProcessed.name,
            dimensions: { [METRIC_DIMENSIONS.dataset]: feed.dataset },
            statistic: "Sum",
            period: ALERT_DEFAULTS.metricAlarmPeriodSeconds,
            // Every one of the last `hours` hours without a file processed: no run at all publishes nothing, hence breaching.
            evaluationPeriods: hours,
            datapointsToAlarm: hours,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
            alarmActions: [this.topicArn],
            okActions: [this.topicArn],
          }),
        );
      }
    }
    const percent = metrics.quarantinedPercent;
    if (percent !== undefined) {
      if (!(percent >= 0 && percent <= 100)) throw new Error(`PipelineAlerts: metrics.quarantinedPercent must be from 0 to 100, not ${percent}`);
      const reports = metrics.reportsLocation ? `the run's quality report under ${metrics.reportsLocation}` : "the run's quality report";
      for (const { jobName } of jobs) {
        alarms.push(
          new CloudwatchMetricAlarm(this, `quality-${jobName}`, {
            alarmName: `${jobName}-quality`,
            alarmDescription:
              `A run of ${jobName} quarantined more than ${percent}% of the rows it read of one of its datasets. ` +
              `Check first: ${reports}: the dataset whose rows_quarantined / rows_read is above ${percent}%, and its quarantined_by_reason (which rule); ` +
              `then a few of its rows under quarantine/<dataset>/ (each names its reasons). Clears by itself an hour after the run.`,
            namespace: metrics.namespace,
            metricName: JOB_METRICS.worstQuarantinedPercent.name,
            dimensions: { [METRIC_DIMENSIONS.job]: jobName },
            statistic: "Maximum",
            period: ALERT_DEFAULTS.metricAlarmPeriodSeconds,
            evaluationPeriods: 1,
            threshold: percent,
            comparisonOperator: "GreaterThanThreshold",
            // A run that read nothing publishes no share: that says nothing about quality.
            treatMissingData: "notBreaching",
            // No OK message: the alarm clears when the hour ends, not when the data is mended.
            alarmActions: [this.topicArn],
          }),
        );
      }
    }
    return alarms;
  }

  /** One rule per group of names, each publishing its kind's message to the topic; none without names. */
  private eventRules(kind: PipelineEventKind, names: readonly string[], props: PipelineAlertsProps, what: string): CloudwatchEventRule[] {
    if (names.length === 0) return [];
    const message = alertMessage(kind, props.environment, props.region, props.jobRunHint);
    return patternGroups(kind, props.accountId, names).map((group, index) => {
      const suffix = index === 0 ? "" : `-${index + 1}`;
      const rule = new CloudwatchEventRule(this, `${kind}${suffix}`, {
        name: ruleName(props.namePrefix, kind, index),
        description: `Tells the alerts topic when ${what} (${props.environment})`,
        eventPattern: JSON.stringify(pipelineEventPattern(kind, props.accountId, group)),
      });
      new CloudwatchEventTarget(this, `${kind}${suffix}-target`, {
        rule: rule.name,
        targetId: "alerts-topic",
        arn: this.topicArn,
        inputTransformer: { inputPaths: message.inputPaths, inputTemplate: message.inputTemplate },
      });
      return rule;
    });
  }

  /** An alarm on any datapoint of a count metric in one period; no data is no failure. */
  private alarm(id: string, name: string, metric: { namespace: string; metricName: string; dimensions: Record<string, string>; description: string }): CloudwatchMetricAlarm {
    return new CloudwatchMetricAlarm(this, id, {
      alarmName: name,
      alarmDescription: metric.description,
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: metric.dimensions,
      statistic: "Sum",
      period: ALERT_DEFAULTS.alarmPeriodSeconds,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
    });
  }
}

/** A rule's name: `<stem>-<kind>`, then `-2`, `-3`, ... when a kind's names outgrow one pattern. */
function ruleName(stem: string, kind: PipelineEventKind, index: number): string {
  return `${stem}-${kind}${index === 0 ? "" : `-${index + 1}`}`;
}
