"""Plain PySpark functions shared by the lakehouse Glue jobs.

The job scripts (``batch_job.py``, ``incremental_job.py``) hold the constants
rendered from the TypeScript config and call into this package as
``import lakehouse_etl as etl``; the package holds no configuration of its own
and never imports ``awsglue``, so it runs the same on Glue (shipped as
``lakehouse_etl.zip`` with ``--extra-py-files``) and on a local pyspark (the
same zip on ``sys.path``).

What happens to a row, in order:

1. ``read_csv_records`` / ``read_json_records`` (``readers``) turn raw files
   into one row per input record: the raw values as strings, the record text,
   the source file and a ``_malformed`` flag (the record could not be parsed
   at all).
2. ``validate`` (``rules``) casts to the declared types and applies the
   quality rules, collecting reason codes (see ``modules/config/quality.ts``)
   in ``_reasons``.
3. ``publish`` (``publishing``) writes rows with reasons to ``quarantine/``,
   keeps the latest version of each primary key, and upserts the rest into
   ``curated/`` (``merge``), rewriting only the partitions it touches.

Counting: every input record is read once and ends in exactly one of
curated (``rows_written``), quarantine (``rows_quarantined``) or the duplicate
count (``duplicates_dropped``), so ``rows_read == rows_written +
rows_quarantined + duplicates_dropped`` in every report (``report``).

The other modules: ``model`` (datasets and the columns the pipeline adds),
``lake_io`` (every path through Hadoop's ``FileSystem``), ``curated`` (a
curated table's files), ``manifest`` (the incremental job's state),
``iceberg`` (a curated table in Apache Iceberg: its creation, partition spec
and MERGE INTO), ``metrics`` (the run's counts as CloudWatch metrics), ``runtime`` (session, clock, arguments, log) and ``hooks`` (the merge's
fault-injection points, replaced by tests as ``etl.hooks.after_write``).
"""

from . import hooks, iceberg
from .curated import curated_files, partition_dir, partition_of, read_table
from .lake_io import Lake, LakeFile, fill_system_prefix
from .manifest import commit_manifest, new_feed_files, processed_files
from .merge import UpsertResult, dedupe, mark_winners, upsert
from .metrics import metric_data, publish_metrics
from .model import (
    ARRIVAL,
    MALFORMED_FLAG,
    ORIGINAL,
    RAW_RECORD,
    REASONS,
    SOURCE_FILE,
    WINNER,
    Dataset,
    IcebergCatalog,
    IncrementalFeed,
    Partitioning,
    job_datasets,
    load_datasets,
    processing_order,
)
from .publishing import publish, write_quarantine
from .readers import (
    DEFAULT_MAX_RECORD_BYTES,
    FILE_MAP_LITERAL_LIMIT,
    RAW_RECORD_KEEP_CHARS,
    UTF8_BOM,
    FileProblem,
    read_csv_records,
    read_json_records,
)
from .report import DatasetResult, build_report, describe, write_report
from .rules import DATE_PATTERN, INTEGER_PATTERN, MALFORMED, TIMESTAMP_PATTERN, reference_keys, validate
from .runtime import check_spark_version, configure_session, iso, log, optional_arg, parse_now

__all__ = [
    "ARRIVAL",
    "DATE_PATTERN",
    "DEFAULT_MAX_RECORD_BYTES",
    "FILE_MAP_LITERAL_LIMIT",
    "INTEGER_PATTERN",
    "MALFORMED",
    "MALFORMED_FLAG",
    "ORIGINAL",
    "RAW_RECORD",
    "RAW_RECORD_KEEP_CHARS",
    "REASONS",
    "SOURCE_FILE",
    "TIMESTAMP_PATTERN",
    "UTF8_BOM",
    "WINNER",
    "Dataset",
    "DatasetResult",
    "IcebergCatalog",
    "FileProblem",
    "IncrementalFeed",
    "Lake",
    "LakeFile",
    "Partitioning",
    "UpsertResult",
    "build_report",
    "check_spark_version",
    "commit_manifest",
    "configure_session",
    "curated_files",
    "dedupe",
    "describe",
    "hooks",
    "iceberg",
    "iso",
    "job_datasets",
    "load_datasets",
    "log",
    "mark_winners",
    "metric_data",
    "new_feed_files",
    "optional_arg",
    "parse_now",
    "partition_dir",
    "partition_of",
    "processed_files",
    "processing_order",
    "publish",
    "publish_metrics",
    "read_csv_records",
    "read_json_records",
    "read_table",
    "reference_keys",
    "upsert",
    "validate",
    "write_quarantine",
    "write_report",
]
