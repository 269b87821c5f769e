export * from "./order-ingestion";
