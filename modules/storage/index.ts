export * from "./lake-storage";
export * from "./lake-bucket";
export * from "./defaults";
