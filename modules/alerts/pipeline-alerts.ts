import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { AlertTopic, type IAlertTopic } from "./alert-topic";
import { ALERT_DEFAULTS } from "./defaults";
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
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: PipelineAlertsProps) {
    super(scope, id);
    const stem = props.namePrefix;
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
    this.alarms = alarms;
  }

  /** One rule per group of names, each publishing its kind's message to the topic; none without names. */
  private eventRules(kind: PipelineEventKind, names: readonly string[], props: PipelineAlertsProps, what: string): CloudwatchEventRule[] {
    if (names.length === 0) return [];
    const message = alertMessage(kind, props.environment, props.region, props.jobRunHint);
    return patternGroups(kind, props.accountId, names).map((group, index) => {
      const suffix = index === 0 ? "" : `-${index + 1}`;
      const rule = new CloudwatchEventRule(this, `${kind}${suffix}`, {
        name: `${props.namePrefix}-${kind}${suffix}`,
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
