/**
 * The Iceberg contracts the Python side (the job library, the local Glue stand-in)
 * restates: pinned here to their TypeScript owners, so neither side can drift alone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveConfig } from "../../modules/config";
import { ICEBERG_FORMAT_VERSION, ICEBERG_SPARK_CATALOG } from "../../modules/config/iceberg";
import { GLUE_ICEBERG_VERSIONS, GLUE_SPARK_VERSIONS, TABLE_FORMATS, type GlueVersion } from "../../modules/config/schema";
import { glueSparkConf } from "../../modules/etl/spark-conf";
import { icebergJobArguments, LOCAL_ICEBERG_CATALOG, usesIceberg } from "../../scripts/local/iceberg-catalog";
import { icebergTableStatements } from "../../scripts/local/trino/tables";
import defaultConfig from "../../lakehouse.config";
import icebergConfig from "../../examples/iceberg/lakehouse.config";

const repo = join(__dirname, "..", "..");
const icebergLocal = readFileSync(join(repo, "glue_local", "iceberg_local.py"), "utf8");
const icebergPy = readFileSync(join(repo, "modules", "etl", "templates", "lakehouse_etl", "iceberg.py"), "utf8");
const modelPy = readFileSync(join(repo, "modules", "etl", "templates", "lakehouse_etl", "model.py"), "utf8");

/** The value of a one-line Python assignment `NAME = "value"`. */
function pyString(source: string, name: string): string {
  const match = new RegExp(`^${name} = "([^"]*)"`, "m").exec(source);
  if (!match) throw new Error(`no ${name} = "..." in the Python source`);
  return match[1];
}

test("the local catalog has the name the jobs address Iceberg tables by", () => {
  expect(pyString(icebergLocal, "CATALOG")).toBe(ICEBERG_SPARK_CATALOG);
});

test("the local catalog file is where the local engines look for it", () => {
  expect(pyString(icebergLocal, "CATALOG_FILE")).toBe(LOCAL_ICEBERG_CATALOG);
});

test("local runs use the Iceberg each Glue version ships, by its Spark", () => {
  const pinned = Object.fromEntries([...icebergLocal.matchAll(/"(\d+\.\d+\.\d+)": "(\d+\.\d+\.\d+)"/g)].map((m) => [m[1], m[2]]));
  const glue = Object.fromEntries(
    (Object.keys(GLUE_SPARK_VERSIONS) as GlueVersion[]).map((version) => [GLUE_SPARK_VERSIONS[version], GLUE_ICEBERG_VERSIONS[version]]),
  );
  expect(pinned).toEqual(glue);
});

test("the local session loads the SQL extensions the Glue job's --conf names", () => {
  expect(glueSparkConf({ icebergWarehouse: "s3://b/curated/" })).toContain(`spark.sql.extensions=${pyString(icebergLocal, "EXTENSIONS")}`);
});

test("the jobs create tables in the format version Terraform declares", () => {
  expect(icebergPy).toMatch(new RegExp(`"format-version": "${ICEBERG_FORMAT_VERSION}"`));
});

test("the job library knows exactly the table formats the config allows", () => {
  const formats = [pyString(modelPy, "PARQUET"), pyString(modelPy, "ICEBERG")];
  expect(formats).toEqual([...TABLE_FORMATS]);
});

test("only a config with an Iceberg table passes the jobs its catalog database", () => {
  expect(usesIceberg(resolveConfig(defaultConfig))).toBe(false);
  expect(icebergJobArguments(resolveConfig(defaultConfig), "dev")).toEqual([]);
  expect(icebergJobArguments(resolveConfig(icebergConfig), "dev")).toEqual(["--catalog_database", "shoplake_dev_lake"]);
});

test("Trino registers an Iceberg table's current metadata file and shows it through a view with the Glue types", () => {
  const orders = resolveConfig(icebergConfig).datasets.find((d) => d.name === "orders")!;
  const [register, view] = icebergTableStatements({
    catalog: "awsdatacatalog",
    icebergCatalog: "lakehouse_iceberg",
    schema: "shoplake_dev_lake",
    dataset: orders,
    metadataLocation: "file:/lake/curated/orders/metadata/00003-abc.metadata.json",
  });
  expect(register).toBe(`CALL "lakehouse_iceberg".system.register_table('shoplake_dev_lake', 'orders', 'file:/lake/curated/orders', '00003-abc.metadata.json')`);
  expect(view).toContain(`CAST("order_ts" AS timestamp(3)) AS "order_ts"`);
  expect(view).toContain(`FROM "lakehouse_iceberg"."shoplake_dev_lake"."orders"`);
});

test("Trino refuses an Iceberg table written to s3://, naming why", () => {
  const orders = resolveConfig(icebergConfig).datasets.find((d) => d.name === "orders")!;
  expect(() =>
    icebergTableStatements({ catalog: "a", icebergCatalog: "i", schema: "s", dataset: orders, metadataLocation: "s3://bucket/curated/orders/metadata/00001-x.metadata.json" }),
  ).toThrow(/Trino reads the Iceberg tables of a folder lake only/);
});
