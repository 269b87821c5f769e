/**
 * Everything the constructs deploy that is built rather than declared, made
 * before the stacks: the Glue entry scripts rendered from the config, the job
 * library as a deterministic zip, the generator Lambda's bundle, and the
 * `sql/` queries rendered for the config's table names. `main.ts`, the
 * Terraform-module emitter and the tests call this; the constructs only take
 * the result as props.
 */
import type { LakehouseConfig } from "../../modules/config/schema";
import { renderGlueScripts } from "../../modules/etl/render";
import type { LakehouseArtifacts } from "../../modules/lakehouse";
import { SAMPLE_CATALOG } from "../../lambda/generator";
import { LAMBDA_HANDLER, lambdaBundleSync } from "../bundle/lambda-bundle";
import { glueLibraryZipSync } from "./glue-library-zip";
import { readGlueTemplates } from "./glue-templates";
import { feedSpecFor, feedSpecJson } from "./feed-spec";
import { sqlQueriesFor } from "./sql-queries";
import { incrementalDatasets } from "../../modules/config/naming";

/** Builds (or reuses the cached builds of) every artifact of a config. Synchronous, for synth. */
export function lakehouseArtifacts(config: LakehouseConfig): LakehouseArtifacts {
  const glue = renderGlueScripts(config, readGlueTemplates());
  const bundle = lambdaBundleSync();
  return {
    glueScripts: { batch: glue.batch, incremental: glue.incremental, library: glueLibraryZipSync(glue.library) },
    generatorCode: {
      path: bundle.zipPath,
      sha256: bundle.sha256,
      handler: LAMBDA_HANDLER,
      environment: {
        // The columns, keys and value sets the generator writes, from the config.
        ...(incrementalDatasets(config).length > 0 ? { FEED_SPEC: feedSpecJson(feedSpecFor(config)) } : {}),
        // Its orders reference the catalogue the batch CSVs are made from.
        CATALOG_SEED: String(SAMPLE_CATALOG.seed),
        CUSTOMER_COUNT: String(SAMPLE_CATALOG.customers),
        PRODUCT_COUNT: String(SAMPLE_CATALOG.products),
      },
    },
    queries: sqlQueriesFor(config),
  };
}
