export * from "./lake-storage";
