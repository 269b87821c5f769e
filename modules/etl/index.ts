export * from "./defaults";
export * from "./glue-jobs";
export * from "./glue-security";
export * from "./quality-report";
export * from "./render";
