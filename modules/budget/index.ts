export * from "./budget-scope";
export * from "./cost-budget";
export * from "./cost-estimate";
export * from "./schedule";
export * from "./defaults";
