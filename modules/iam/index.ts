export { assumeRolePolicy, policyDocument, type PolicyStatement } from "./policy";
export { RoleGrants, ServiceRole, type RoleGrantsProps, type ServiceRoleProps } from "./service-role";
export type { IGrantable } from "./grantable";
