import { CloudBackend, LocalBackend, NamedCloudWorkspace, type TerraformStack } from "cdktf";
import type { LakehouseConfig } from "./config/schema";

/**
 * Terraform Cloud when an organization is configured (config, or the
 * `TF_CLOUD_ORGANIZATION` environment variable), one named workspace per
 * stack; otherwise a local state file with a relative path, so the
 * synthesized JSON holds no machine path.
 */
export function attachBackend(stack: TerraformStack, stackId: string, backend: LakehouseConfig["backend"]): void {
  const organization = process.env.TF_CLOUD_ORGANIZATION || backend.terraformCloudOrganization;
  if (organization) {
    new CloudBackend(stack, {
      organization,
      workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix}${stackId}`),
    });
  } else {
    new LocalBackend(stack, { path: `terraform.${stackId}.tfstate` });
  }
}
