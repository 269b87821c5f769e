export * from "./policy";
export * from "./service-role";
