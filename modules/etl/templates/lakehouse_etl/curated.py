"""Curated tables in the lake: a table's data files, the partition a file is in, and reading a table back.

Shared by validation (foreign keys read the referenced table's keys) and the
merge, so both find and read a table the same way.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

from pyspark.sql import DataFrame, SparkSession

from . import iceberg
from .lake_io import Lake, LakeFile, spark_paths
from .model import Dataset


def curated_files(lake: Lake, dataset: Dataset, partition: Optional[str] = None) -> List[LakeFile]:
    """Data files of a curated table, or of one of its partitions (``year=2026/month=1/day=5``)."""
    folder = lake.curated_dir(dataset.table) + (partition + "/" if partition else "")
    return lake.list_files(folder, recursive=partition is None, suffixes=(".parquet",), details=False)


def root_files(lake: Lake, dataset: Dataset) -> List[LakeFile]:
    """Data files directly in the table's folder: an unpartitioned table's, listed without a recursive walk."""
    return lake.list_files(lake.curated_dir(dataset.table), recursive=False, suffixes=(".parquet",), details=False)


def partition_of(lake: Lake, dataset: Dataset, f: LakeFile) -> str:
    """The partition directory of a curated file relative to the table (``year=2026/month=1/day=5``; '' if unpartitioned)."""
    inner = f.rel[len(lake.curated_dir(dataset.table)) :]
    return inner.rsplit("/", 1)[0] if "/" in inner else ""


def partition_dir(dataset: Dataset, values: Sequence[Any]) -> str:
    return "/".join(f"{name}={value}" for name, value in zip(dataset.partition_names, values))


def has_table(spark: SparkSession, lake: Lake, dataset: Dataset) -> bool:
    """Whether a curated table has been written: data files in its folder, or an Iceberg table in the catalog."""
    return iceberg.exists(spark, dataset) if dataset.is_iceberg else bool(curated_files(lake, dataset))


def read_table(spark: SparkSession, lake: Lake, dataset: Dataset, files: Optional[Sequence[LakeFile]] = None) -> DataFrame:
    """Reads curated files with the table schema (partition values from the paths).

    ``files=None`` reads the whole table by its folder: one path for Spark to
    list, where a long list of file paths would make it start a listing job.
    An Iceberg table is read through its catalog (its current snapshot), whole.
    """
    if dataset.is_iceberg:
        assert files is None, "an Iceberg table is read through its catalog, not by files"
        return iceberg.read_iceberg(spark, dataset)
    root = lake.path(lake.curated_dir(dataset.table))
    paths = [root] if files is None else spark_paths(files)
    return spark.read.schema(dataset.table_schema()).option("basePath", root).parquet(*paths)
