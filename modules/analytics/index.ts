export * from "./lake-analytics";
export * from "./sql-queries";
export * from "./defaults";
