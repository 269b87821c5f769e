export * from "./alert-topic";
export * from "./defaults";
export * from "./event-patterns";
export * from "./pipeline-alerts";
export * from "./pipeline-dashboard";
