export * from "./order-ingestion";
export * from "./defaults";
