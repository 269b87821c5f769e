export * from "./lake-catalog";
export * from "./table-schema";
