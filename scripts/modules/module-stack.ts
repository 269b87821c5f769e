import { TerraformElement, TerraformStack } from "cdktf";
import type { Node } from "constructs";

/**
 * The stack a module definition builds into. It differs from a deployable
 * stack in one thing: logical ids are the construct path joined with `_`
 * (`aws_s3_bucket.lake_bucket`) instead of cdktf's hashed ids
 * (`lake_bucket_C4FE50C3`), so a consumer's plan reads like hand-written
 * Terraform. The ids stay stable while construct ids do; two paths that would
 * collide fail the emit instead of silently sharing an address.
 */
export class ModuleStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const components = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    if (components.length === 0) return "";
    const id = components.join("_").replace(/[^A-Za-z0-9_-]/g, "_").replace(/^(?=[0-9-])/, "_");
    const path = components.join("/");
    const owner = this.allocated.get(id);
    if (owner !== undefined && owner !== path) {
      throw new Error(`module logical id "${id}" would be shared by ${owner} and ${path}; rename one construct id`);
    }
    this.allocated.set(id, path);
    return id;
  }
}
