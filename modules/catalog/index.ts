export * from "./lake-catalog";
export * from "./curated-table";
export * from "./table-schema";
export * from "./table-formats";
export * from "./table-maintenance";
export * from "./defaults";
export * from "./glue-arns";
export * from "./iceberg-grants";
