import { Construct } from "constructs";
import { TerraformIterator, Token } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { awsPartition } from "../iam/aws-context";
import { ALERT_DEFAULTS } from "./defaults";

/** A topic alerts are published to: one made here ({@link AlertTopic}) or an existing one of yours. */
export interface IAlertTopic {
  readonly topicArn: string;
}

export interface AlertTopicProps {
  /** Topic name; also names its KMS key's alias (`alias/<name>`). */
  readonly topicName: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Name prefix of the EventBridge rules and CloudWatch alarms that may publish
   * (`<prefix>*`): the topic policy lets only those of this account publish.
   */
  readonly publisherNamePrefix: string;
  /** Who is e-mailed each alert (each address confirms its subscription once). @default [] */
  readonly emails?: readonly string[];
}

/**
 * Where the pipeline's alerts go: an SNS topic encrypted with a KMS key of its
 * own (EventBridge and CloudWatch cannot publish to a topic encrypted with the
 * AWS managed `alias/aws/sns` key, whose policy no one can change), e-mail
 * subscriptions, and a topic policy that lets only this account's EventBridge
 * rules and CloudWatch alarms named `<publisherNamePrefix>*` publish.
 */
export class AlertTopic extends Construct implements IAlertTopic {
  readonly topic: SnsTopic;
  readonly topicArn: string;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const partition = awsPartition(this);
    this.key = new KmsKey(this, "key", {
      description: `Encrypts the alerts on SNS topic ${props.topicName}`,
      enableKeyRotation: true,
      deletionWindowInDays: ALERT_DEFAULTS.keyDeletionWindowDays,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            // The account's IAM policies decide who manages the key, as for a key made in the console.
            Sid: "AccountManagesTheKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${props.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            // SNS encrypts what these services publish with a data key of this key; the topic policy decides who may publish.
            Sid: "PublishersEncryptAlerts",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "cloudwatch.amazonaws.com"] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
          },
        ],
      }),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.topicName}`, targetKeyId: this.key.keyId });

    this.topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: this.key.arn });
    this.topicArn = this.topic.arn;
    const sourceArn = (service: string, resource: string) => `arn:${partition}:${service}:${props.region}:${props.accountId}:${resource}${props.publisherNamePrefix}*`;
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeRulesOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": sourceArn("events", "rule/") } },
          },
          {
            Sid: "CloudWatchAlarmsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": sourceArn("cloudwatch", "alarm:") } },
          },
        ],
      }),
    });
    const emails = props.emails ?? [];
    if (Token.isUnresolved(emails)) {
      // A list known only to Terraform (an emitted module's input): one subscription per element.
      const each = TerraformIterator.fromList(emails as string[]);
      new SnsTopicSubscription(this, "email", { forEach: each, topicArn: this.topic.arn, protocol: "email", endpoint: each.value });
      return;
    }
    const ids = new Set<string>();
    for (const email of [...new Set(emails)].sort()) {
      // Named by the address, so adding one plans one new subscription and renames nothing.
      const stem = `email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
      let subscriptionId = stem;
      for (let n = 2; ids.has(subscriptionId); n++) subscriptionId = `${stem}-${n}`;
      ids.add(subscriptionId);
      new SnsTopicSubscription(this, subscriptionId, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
  }
}
