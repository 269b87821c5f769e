export * from "./policy";
export * from "./service-role";
export * from "./grantable";
