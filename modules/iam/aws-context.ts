import type { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/**
 * Where a stack is deployed, as the AWS provider knows it: the partition
 * (`aws`, `aws-us-gov`, `aws-cn`) and the region. ARNs built with these work in
 * GovCloud and China as in the commercial partition, so a module reused in
 * another estate never assumes `arn:aws:`.
 *
 * One data source of each per stack, created on first use (ids `aws-partition`
 * and `aws-region`), as aws-cdk's `Stack.of(this).partition` is one per stack.
 */
export function awsPartition(scope: IConstruct): string {
  return singleton(scope, "aws-partition", (stack, id) => new DataAwsPartition(stack, id)).partition;
}

/** The provider's region (`data.aws_region`), e.g. for `kms:ViaService` values (`s3.<region>.amazonaws.com`). */
export function awsRegion(scope: IConstruct): string {
  return singleton(scope, "aws-region", (stack, id) => new DataAwsRegion(stack, id)).region;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, with the stack's partition. */
export function arn(scope: IConstruct, service: string, region: string, accountId: string, resource: string): string {
  return `arn:${awsPartition(scope)}:${service}:${region}:${accountId}:${resource}`;
}

function singleton<T extends IConstruct>(scope: IConstruct, id: string, create: (stack: TerraformStack, id: string) => T): T {
  const stack = TerraformStack.of(scope);
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}
