export * from "./cost-budget";
