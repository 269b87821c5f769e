/**
 * The public API: the constructs, their props and grants, the config schema
 * and naming, and the renderers. An app composes these (see `main.ts` for
 * the full lakehouse and `examples/compose/` for a lake on a bucket it does
 * not own); artifacts are built beforehand and passed in (`FileArtifact`).
 */
export * from "./artifact";
export * from "./config";
export * from "./iam";
export * from "./storage";
export * from "./catalog";
export * from "./etl";
export * from "./analytics";
export * from "./ingestion";
export * from "./alerts";
export * from "./budget";
export * from "./lakehouse";
export * from "./lakehouse-stack";
export * from "./backend";
