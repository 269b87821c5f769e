export * from "./columns";
export * from "./quality";
export * from "./schema";
export * from "./load";
export * from "./naming";
export * from "./curated";
