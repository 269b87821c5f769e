import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ServiceRole } from "../iam/service-role";
import type { PolicyStatement } from "../iam/policy";
import type { LakeBucket } from "../storage/lake-bucket";
import type { FileArtifact } from "../artifact";
import { ORDER_INGESTION_DEFAULTS as DEFAULTS } from "./defaults";

/** The generator's deployment package: a zip built before synth, the handler in it, and the settings it was built with. */
export interface FunctionCode extends FileArtifact {
  /** The Lambda handler setting, e.g. `index.handler`. */
  readonly handler: string;
  /**
   * Environment variables the code was built to read besides the construct's
   * own (for the generator: the columns it writes, `FEED_SPEC`, and the seed and
   * size of the sample catalogue its orders reference). @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface OrderIngestionProps {
  /** The generator's code (bundled by the app, e.g. `scripts/bundle/lambda-bundle.ts`). */
  readonly code: FunctionCode;
  /** The lake the generator writes into (a `LakeStorage`, or a bucket made elsewhere); its role may only put objects under {@link rawPrefix}. */
  readonly storage: LakeBucket;
  /** Lambda function name; also names its role, log group and schedule rule. */
  readonly functionName: string;
  /** Folder the JSON-lines files go to. @default "raw/orders_incremental/" */
  readonly rawPrefix?: string;
  /** EventBridge schedule expression. @default "rate(1 hour)" */
  readonly schedule?: string;
  /**
   * Deploy the schedule (rule, target, invoke permission). The function is
   * deployed either way, for manual runs. @default true
   */
  readonly scheduleEnabled?: boolean;
  /** Orders per invocation, 1..10000. @default 50 */
  readonly ordersPerInvocation?: number;
  /** Share of rows made dirty on purpose, 0..1. @default 0 */
  readonly dirtyRate?: number;
  /** @default 128 */
  readonly memorySizeMb?: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /**
   * Concurrency reserved for (and capped at) this function, at least 1; `null` for none.
   * 0 is refused: it would throttle every invocation, so the generator would never run
   * (to stop it, set `scheduleEnabled: false`). Accounts with the 10-execution default
   * limit cannot reserve any: pass `null` there.
   * @default 2
   */
  readonly reservedConcurrentExecutions?: number | null;
  /** Days CloudWatch keeps the function's logs. @default 14 */
  readonly logRetentionDays?: number;
}

/**
 * The synthetic order feed: a Node.js 22 arm64 Lambda that writes one
 * JSON-lines file of new orders per invocation under `raw/orders_incremental/`,
 * run by an EventBridge schedule. Its code ships as a deterministic zip
 * asset, so the asset path and `source_code_hash` change only with the code.
 *
 * Least privilege: the role may put objects under the feed's prefix (plus
 * KMS data keys when the lake uses SSE-KMS) and write to its own log group.
 * It cannot read, list or delete anything.
 */
export class OrderIngestion extends Construct {
  readonly function: LambdaFunction;
  readonly functionName: string;
  readonly functionArn: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: ServiceRole;
  /** The schedule; undefined when `scheduleEnabled` is false. */
  readonly rule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: OrderIngestionProps) {
    super(scope, id);
    const rawPrefix = props.rawPrefix ?? "raw/orders_incremental/";
    const ordersPerInvocation = props.ordersPerInvocation ?? DEFAULTS.ordersPerInvocation;
    const dirtyRate = props.dirtyRate ?? DEFAULTS.dirtyRate;
    const timeoutSeconds = props.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
    const reserved = props.reservedConcurrentExecutions === undefined ? DEFAULTS.reservedConcurrentExecutions : props.reservedConcurrentExecutions;
    const schedule = props.schedule ?? DEFAULTS.schedule;
    validate(props.functionName, ordersPerInvocation, dirtyRate, timeoutSeconds, reserved);

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? DEFAULTS.logRetentionDays,
      // With a lake KMS key the logs use it too (its key policy must allow the logs service).
      kmsKeyId: props.storage.kmsKeyArn,
    });

    this.role = new ServiceRole(this, "role", {
      roleName: props.functionName,
      servicePrincipal: "lambda.amazonaws.com",
      description: `Lets the order generator add files under ${rawPrefix} and write its logs`,
    });
    // Single small puts, never multipart uploads: PutObject only (plus KMS data keys with SSE-KMS).
    props.storage.grantPut(this.role, [rawPrefix], "WriteIncrementalOrders");
    this.role.addToPolicy(...this.logStatements());

    const code = new TerraformAsset(this, "code", { path: props.code.path, type: AssetType.FILE });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: `Writes ${ordersPerInvocation} synthetic orders per run as JSON lines to ${rawPrefix}`,
      role: this.role.roleArn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: props.code.handler,
      filename: code.path,
      // What aws_lambda_function compares with the deployed code: base64 of the zip's sha256.
      sourceCodeHash: Buffer.from(props.code.sha256, "hex").toString("base64"),
      memorySize: props.memorySizeMb ?? DEFAULTS.memorySizeMb,
      timeout: timeoutSeconds,
      reservedConcurrentExecutions: reserved ?? undefined,
      environment: {
        variables: {
          LAKE_BUCKET: props.storage.bucketName,
          RAW_PREFIX: rawPrefix,
          ORDERS_PER_INVOCATION: String(ordersPerInvocation),
          DIRTY_RATE: String(dirtyRate),
          ...props.code.environment,
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // The log group exists (with its retention) before the first invocation could create it without one.
      dependsOn: [this.logGroup],
    });
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;

    if (props.scheduleEnabled ?? DEFAULTS.scheduleEnabled) {
      this.rule = new CloudwatchEventRule(this, "schedule", {
        name: `${props.functionName}-schedule`,
        description: `Runs ${props.functionName} on ${schedule}`,
        scheduleExpression: schedule,
        state: "ENABLED",
      });
      new CloudwatchEventTarget(this, "schedule-target", {
        rule: this.rule.name,
        targetId: "order-generator",
        arn: this.function.arn,
      });
      new LambdaPermission(this, "schedule-permission", {
        statementId: "AllowEventBridgeSchedule",
        action: "lambda:InvokeFunction",
        functionName: this.function.functionName,
        principal: "events.amazonaws.com",
        sourceArn: this.rule.arn,
      });
    }
  }

  private logStatements(): PolicyStatement[] {
    return [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        // The attribute has no ":*"; log streams are addressed below the group.
        Resource: [`${this.logGroup.arn}:*`],
      },
    ];
  }
}


function validate(functionName: string, orders: number, dirtyRate: number, timeout: number, reserved: number | null): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
    throw new Error(`functionName "${functionName}" must be 1-64 letters, digits, hyphens or underscores`);
  }
  if (!Number.isInteger(orders) || orders < 1 || orders > 10_000) throw new Error(`ordersPerInvocation must be 1..10000, got ${orders}`);
  if (!(dirtyRate >= 0 && dirtyRate <= 1)) throw new Error(`dirtyRate must be between 0 and 1, got ${dirtyRate}`);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) throw new Error(`timeoutSeconds must be 1..900, got ${timeout}`);
  if (reserved !== null && (!Number.isInteger(reserved) || reserved < 1)) {
    throw new Error(
      `reservedConcurrentExecutions must be a whole number >= 1, or null for no reservation, got ${reserved}` +
        (reserved === 0 ? ": 0 would throttle every invocation and the generator would never run (set scheduleEnabled: false to stop it)" : ""),
    );
  }
}
