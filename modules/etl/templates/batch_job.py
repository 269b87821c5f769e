"""Batch job: raw CSV (``raw/<dataset>/*.csv``) -> curated Parquet or Iceberg tables, for every dataset.

Rendered by ``modules/etl/render.ts``: only the block between the GENERATED
CONSTANTS markers comes from the config; the rest is this template as is.
Runs on Glue (the ``lakehouse_etl`` package shipped as ``lakehouse_etl.zip``
with ``--extra-py-files``) and locally (``scripts/local/glue-runner.ts``, the
same zip on ``sys.path``, with the ``glue_local`` shim).

Arguments: ``--JOB_NAME``, ``--JOB_RUN_ID`` (Glue passes both), ``--lake_root``
(``s3://bucket`` or a local directory) and optionally ``--now`` (ISO-8601;
the clock for ``not_in_future`` rules, for deterministic local runs) and
``--catalog_database`` (the Glue database of the Iceberg tables; required
when a dataset's format is ``iceberg``) and ``--lake_job`` (which of the
config's batch jobs this is, ``batch``, ``batch-2``, ...: each processes its
own datasets, see ``JOBS``; the first when absent) and ``--system_prefix``
(where the system keys of ``LAYOUT`` are in a shared bucket, e.g.
``teams/shop/``; the bucket's root when absent).

Every dataset is upserted by primary key (dimensions first, so foreign keys
see this run's rows). A batch row has no ingestion time and counts as the
oldest version of its key: it replaces a curated row that also came from a
batch, never one an incremental run wrote. An Iceberg table is created on
the first run (or, on Glue, completed: Terraform creates it) and upserted
with one MERGE INTO commit per dataset.
"""

import datetime as dt
import sys
from typing import Any, Dict, Optional

from pyspark.sql import SparkSession
from pyspark.sql import types as T

import lakehouse_etl as etl

# --- BEGIN GENERATED CONSTANTS ---
# Placeholder so the template runs as is; render.ts replaces this block.
GLUE_VERSION = "5.0"
SPARK_VERSION = "3.5.4"
ZONES = {
    "raw": "raw/",
    "curated": "curated/",
    "quarantine": "quarantine/",
    "quality_reports": "quality_reports/",
    "athena_results": "athena-results/",
    "system": "_system/",
}
LAYOUT = {
    "scripts": "{system_prefix}_system/scripts/",
    "temp": "{system_prefix}_system/tmp/{job}/",
    "manifests": "{system_prefix}_system/manifests/{dataset}/",
    "quarantine_run": "quarantine/{dataset}/run_id={run_id}/",
    "quality_reports": "{system_prefix}quality_reports/{job}/",
    "quality_report": "{system_prefix}quality_reports/{job}/{run_id}.json",
}
ICEBERG_CATALOG = "glue_catalog"
CATALOG_DATABASE_ARGUMENT = "catalog_database"
SYSTEM_PREFIX_ARGUMENT = "system_prefix"
METRICS = {
    "namespace_argument": "metrics_namespace",
    "dimensions": {"job": "JobName", "dataset": "Dataset"},
    "job": {"runs_succeeded": {"name": "RunsSucceeded", "unit": "Count"}},
    "dataset": {"rows_read": {"name": "RowsRead", "unit": "Count", "from": "rows_read"}},
}
DATASETS = [
    {
        "name": "example",
        "table": "example",
        "format": "parquet",
        "raw_columns": ["id"],
        "schema": T.StructType([T.StructField("id", T.StringType(), True)]),
        "primary_key": ["id"],
        "partitioning": None,
        "derived_columns": [],
        "quality_rules": [],
        "incremental": None,
    },
]
JOBS = {"batch": {"batch": ["example"]}, "incremental": {"incremental": []}}
# --- END GENERATED CONSTANTS ---

JOB = "batch"


def run(
    spark: SparkSession,
    lake_root: str,
    run_id: str,
    job_name: str,
    now: Optional[str] = None,
    catalog_database: Optional[str] = None,
    lake_job: Optional[str] = None,
    system_prefix: Optional[str] = None,
    metrics_namespace: Optional[str] = None,
) -> Dict[str, Any]:
    """Processes every dataset's raw CSV files and writes the quality report last."""
    started = dt.datetime.now(dt.timezone.utc)
    etl.configure_session(spark)
    etl.check_spark_version(SPARK_VERSION)
    clock = etl.parse_now(now)
    lake = etl.Lake(spark, lake_root, ZONES, etl.fill_system_prefix(LAYOUT, SYSTEM_PREFIX_ARGUMENT, system_prefix))
    datasets = etl.load_datasets(DATASETS, etl.IcebergCatalog(ICEBERG_CATALOG, catalog_database, CATALOG_DATABASE_ARGUMENT))
    lake_job, own = etl.job_datasets(datasets, JOBS[JOB], lake_job)
    etl.log(f"{lake_job} run {run_id} over {lake.root}: {len(own)} datasets (Spark application {spark.sparkContext.applicationId})")

    results = []
    for dataset in etl.processing_order(own):
        files = lake.list_files(lake.raw_dir(dataset.name), recursive=False, suffixes=(".csv",))
        records, problems = etl.read_csv_records(spark, lake, dataset, files)
        keys = etl.reference_keys(spark, lake, dataset, datasets)
        checked = etl.validate(records, dataset, clock, keys)
        result = etl.publish(spark, lake, dataset, checked, problems, run_id, clock)
        etl.log(etl.describe(result))
        results.append(result)

    report = etl.build_report(JOB, job_name, run_id, clock, started, results)
    # The data is written: publishing cannot fail the run, and the report says how it went.
    report["metrics"] = etl.publish_metrics(METRICS, metrics_namespace, report)
    etl.write_report(lake, lake_job, run_id, report)
    etl.log(f"report written to {lake.report_path(lake_job, run_id)}")
    return report


if __name__ == "__main__":
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    args = getResolvedOptions(sys.argv, ["JOB_NAME", "lake_root"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    run(
        glue_context.spark_session,
        args["lake_root"],
        args["JOB_RUN_ID"],
        args["JOB_NAME"],
        etl.optional_arg(sys.argv, "now"),
        etl.optional_arg(sys.argv, CATALOG_DATABASE_ARGUMENT),
        etl.optional_arg(sys.argv, "lake_job"),
        etl.optional_arg(sys.argv, SYSTEM_PREFIX_ARGUMENT),
        etl.optional_arg(sys.argv, METRICS["namespace_argument"]),
    )
    job.commit()
