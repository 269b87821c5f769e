"""Incremental job: new JSON lines files -> upsert into curated, for every dataset with a feed.

Rendered by ``modules/etl/render.ts``: only the block between the GENERATED
CONSTANTS markers comes from the config; the rest is this template as is.
Arguments as for ``batch_job.py``.

Which files are new is decided by the manifest in the lake
(``_system/manifests/<dataset>/<run_id>.json``, one per run that processed
files), never by Glue job bookmarks: the same state works locally. Per
dataset: list the feed folder, skip files a manifest names, validate the new
rows (foreign keys against the curated dimension tables), upsert them (latest
ingestion time wins; only touched partitions are rewritten). Then the quality
report, and last the manifests: the commit point. A run that fails before its
manifests leaves its files unprocessed and the next run processes them again
(the upsert is idempotent), so every change to curated is covered by a report.
A run with no new files changes nothing in curated.
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

JOB = "incremental"


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
    """Processes new feed files of every dataset with a feed and writes the quality report last."""
    started = dt.datetime.now(dt.timezone.utc)
    etl.configure_session(spark)
    etl.check_spark_version(SPARK_VERSION)
    clock = etl.parse_now(now)
    lake = etl.Lake(spark, lake_root, ZONES, etl.fill_system_prefix(LAYOUT, SYSTEM_PREFIX_ARGUMENT, system_prefix))
    datasets = etl.load_datasets(DATASETS, etl.IcebergCatalog(ICEBERG_CATALOG, catalog_database, CATALOG_DATABASE_ARGUMENT))
    lake_job, own = etl.job_datasets(datasets, JOBS[JOB], lake_job)
    etl.log(f"{lake_job} run {run_id} over {lake.root}: {len(own)} datasets (Spark application {spark.sparkContext.applicationId})")

    results = []
    processed = []
    for dataset in [d for d in own if d.incremental]:
        files = etl.new_feed_files(lake, dataset)
        if not files:
            etl.log(f"{dataset.name}: no new files")
            results.append(etl.DatasetResult(dataset=dataset, files=[]))
            continue
        records, problems = etl.read_json_records(spark, dataset, files)
        keys = etl.reference_keys(spark, lake, dataset, datasets)
        checked = etl.validate(records, dataset, clock, keys)
        result = etl.publish(spark, lake, dataset, checked, problems, run_id, clock)
        processed.append((dataset, files))
        etl.log(etl.describe(result))
        results.append(result)

    report = etl.build_report(JOB, job_name, run_id, clock, started, results)
    # The data is written: publishing cannot fail the run, and the report says how it went.
    report["metrics"] = etl.publish_metrics(METRICS, metrics_namespace, report)
    etl.write_report(lake, lake_job, run_id, report)
    etl.log(f"report written to {lake.report_path(lake_job, run_id)}")
    for dataset, files in processed:
        etl.commit_manifest(lake, dataset, run_id, files, clock)
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
