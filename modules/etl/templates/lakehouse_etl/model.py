"""The dataset model: what a job script's generated ``DATASETS`` describe, and the columns the pipeline adds.

The entry scripts build it once per run (``load_datasets``); every other module
takes these frozen objects, never the raw config entries, so the shape of the
generated constants is known in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from pyspark.sql import types as T

# Columns the pipeline adds; config identifiers start with a-z, so these never clash.
SOURCE_FILE = "_source_file"
RAW_RECORD = "_raw_record"
REASONS = "_reasons"
MALFORMED_FLAG = "_malformed"
ORIGINAL = "_original"
WINNER = "_winner"
ARRIVAL = "_arrival"
"""A record's place in arrival order: struct of the file's arrival time in ms (its modification
time; on S3 its upload time; NULL for batch CSV), the file, the start of its split, and the
line's position in it. Sorting by it orders records as they arrived."""


@dataclass(frozen=True)
class Partitioning:
    """Hive-style partition keys derived from one timestamp/date column, in path order."""

    source_column: str
    keys: Tuple[Tuple[str, str], ...]
    years: Optional[Tuple[int, int]] = None
    """Inclusive years Athena's partition projection enumerates; rows outside are quarantined."""

    @property
    def names(self) -> List[str]:
        return [name for name, _ in self.keys]


PARQUET = "parquet"
ICEBERG = "iceberg"
TABLE_FORMATS = (PARQUET, ICEBERG)


@dataclass(frozen=True)
class IcebergCatalog:
    """Where a run's Iceberg tables are: a Spark catalog (``ICEBERG_CATALOG``) and a database in it."""

    name: str
    database: Optional[str]
    database_argument: str = "catalog_database"
    """The job argument the database came from (``CATALOG_DATABASE_ARGUMENT``), for messages."""

    def identifier(self, table: str) -> str:
        return ".".join(f"`{part}`" for part in (self.name, self.database or "", table))


@dataclass(frozen=True)
class IncrementalFeed:
    raw_folder: str
    format: str
    order_by_column: str


@dataclass(frozen=True, eq=False)
class Dataset:
    """One dataset of the rendered config (see ``Dataset.from_config``)."""

    name: str
    table: str
    raw_columns: Tuple[str, ...]
    schema: T.StructType
    primary_key: Tuple[str, ...]
    partitioning: Optional[Partitioning]
    derived_columns: Tuple[Tuple[str, str], ...]
    quality_rules: Tuple[Mapping[str, Any], ...]
    incremental: Optional[IncrementalFeed]
    format: str = PARQUET
    """``parquet`` (Hive-style folders the merge rewrites) or ``iceberg`` (a catalog table, upserted with MERGE INTO)."""
    iceberg_table: Optional[str] = None
    """For an Iceberg dataset, its Spark identifier (``glue_catalog.<database>.<table>``, quoted)."""

    @staticmethod
    def from_config(entry: Mapping[str, Any], iceberg: Optional["IcebergCatalog"] = None) -> "Dataset":
        """Builds a dataset from one entry of a job script's generated ``DATASETS``.

        An Iceberg dataset needs ``iceberg``, the catalog and database its table is in.
        """
        partitioning = entry.get("partitioning")
        incremental = entry.get("incremental")
        table_format = entry.get("format", PARQUET)
        if table_format not in TABLE_FORMATS:
            raise ValueError(f"dataset {entry['name']}: format {table_format!r} is not one of {', '.join(TABLE_FORMATS)}")
        if table_format == ICEBERG and (iceberg is None or not iceberg.database):
            raise ValueError(
                f"dataset {entry['name']} is an Iceberg table: the job needs --{iceberg.database_argument if iceberg else 'catalog_database'}"
                " (the Glue database its table is in)"
            )
        return Dataset(
            name=entry["name"],
            table=entry["table"],
            format=table_format,
            iceberg_table=iceberg.identifier(entry["table"]) if table_format == ICEBERG and iceberg else None,
            raw_columns=tuple(entry["raw_columns"]),
            schema=entry["schema"],
            primary_key=tuple(entry["primary_key"]),
            partitioning=Partitioning(
                source_column=partitioning["source_column"],
                keys=tuple((name, transform) for name, transform in partitioning["keys"]),
                years=tuple(partitioning["years"]) if partitioning.get("years") else None,
            )
            if partitioning
            else None,
            derived_columns=tuple((name, source) for name, source in entry.get("derived_columns", [])),
            quality_rules=tuple(entry.get("quality_rules", [])),
            incremental=IncrementalFeed(**incremental) if incremental else None,
        )

    @property
    def is_iceberg(self) -> bool:
        return self.format == ICEBERG

    @property
    def columns(self) -> List[str]:
        """The curated (non-partition) columns in write order."""
        return [f.name for f in self.schema.fields]

    @property
    def partition_names(self) -> List[str]:
        return self.partitioning.names if self.partitioning else []

    @property
    def order_by(self) -> Optional[str]:
        return self.incremental.order_by_column if self.incremental else None

    def field_type(self, column: str) -> T.DataType:
        return self.schema[column].dataType

    def table_schema(self) -> T.StructType:
        """Curated columns plus the integer partition columns: how the table reads back."""
        return T.StructType(
            list(self.schema.fields) + [T.StructField(n, T.IntegerType(), True) for n in self.partition_names]
        )

    def foreign_keys(self) -> List[Tuple[str, str]]:
        return [(r["column"], r["references"]) for r in self.quality_rules if r["rule"] == "foreign_key"]


def load_datasets(entries: Iterable[Mapping[str, Any]], iceberg: Optional[IcebergCatalog] = None) -> List[Dataset]:
    return [Dataset.from_config(e, iceberg) for e in entries]


def processing_order(datasets: Sequence[Dataset]) -> List[Dataset]:
    """Datasets ordered so that each comes after the datasets its foreign keys reference."""
    by_name = {d.name: d for d in datasets}
    ordered: List[Dataset] = []
    visiting: set = set()

    def visit(d: Dataset) -> None:
        if d in ordered or d.name in visiting:
            return
        visiting.add(d.name)
        for _, ref in d.foreign_keys():
            if ref in by_name and ref != d.name:
                visit(by_name[ref])
        visiting.discard(d.name)
        ordered.append(d)

    for d in datasets:
        visit(d)
    return ordered


def job_datasets(datasets: Sequence[Dataset], jobs: Mapping[str, Sequence[str]], lake_job: Optional[str]) -> Tuple[str, List[Dataset]]:
    """The lake job a run is and the datasets it processes, in config order.

    ``jobs`` is one kind's entry of the rendered ``JOBS`` (job id -> dataset
    names); ``lake_job`` the ``--lake_job`` argument, the kind's first job when
    absent. Foreign keys are still checked against every dataset's table.
    """
    job = lake_job or next(iter(jobs))
    if job not in jobs:
        raise ValueError(f"--lake_job {job!r} is not a job of this kind in the config; allowed: {', '.join(jobs)}")
    names = set(jobs[job])
    return job, [d for d in datasets if d.name in names]
