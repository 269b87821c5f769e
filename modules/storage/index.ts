export * from "./lake-storage";
export * from "./lake-bucket";
