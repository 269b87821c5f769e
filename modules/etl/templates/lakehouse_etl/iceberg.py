"""Curated tables in Apache Iceberg: created where the config says, partitioned as it says, upserted with MERGE INTO.

The table is addressed through a Spark catalog (``Dataset.iceberg_table``):
on Glue, Iceberg's ``GlueCatalog`` set in the job's ``--conf``, where
Terraform created the table; locally a JDBC catalog on SQLite inside the lake
folder (``glue_local/iceberg_local.py``). Either way the job makes sure the
table exists at ``curated/<table>/`` with the declared columns and the
declared partition columns as identity fields of its partition spec, then
merges one version per key into it in one atomic commit.

Latest wins exactly as in the Parquet merge: per key the greater ordering
column (NULL = oldest); on a tie the incoming row wins. A rerun of the same
rows therefore commits rows equal to the ones there (idempotent), and a run
killed after its commit but before its report and manifests is rerun
without a key ever being in the table twice.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional

from pyspark.sql import DataFrame, SparkSession

from . import hooks
from .lake_io import Lake
from .model import Dataset

TABLE_PROPERTIES = {
    "format-version": "2",
    # Copy-on-write: readers (Athena, Trino, DuckDB) see plain data files, no delete files to merge.
    "write.merge.mode": "copy-on-write",
    "write.update.mode": "copy-on-write",
    "write.delete.mode": "copy-on-write",
    # Keep the metadata folder from growing one file per commit forever.
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "20",
}


def _quote(name: str) -> str:
    return f"`{name}`"


def _sql_type(data_type) -> str:
    return data_type.simpleString()


def ensure_table(spark: SparkSession, lake: Lake, dataset: Dataset) -> None:
    """Creates the table if it is missing and adds declared partition fields its spec lacks.

    On Glue the table exists (Terraform created it, unpartitioned: the Glue API
    declares no Iceberg partition spec), so the first run adds the identity
    fields; from then on the spec matches and nothing changes.
    """
    ident = dataset.iceberg_table
    assert ident, f"{dataset.name} is not an Iceberg dataset"
    namespace = ident.rsplit(".", 1)[0]
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {namespace}")
    columns = ", ".join(f"{_quote(f.name)} {_sql_type(f.dataType)}" for f in dataset.table_schema().fields)
    location = lake.path(lake.curated_dir(dataset.table)).rstrip("/")
    properties = ", ".join(f"'{k}' = '{v}'" for k, v in TABLE_PROPERTIES.items())
    partitioned = f" PARTITIONED BY ({', '.join(_quote(n) for n in dataset.partition_names)})" if dataset.partition_names else ""
    spark.sql(
        f"CREATE TABLE IF NOT EXISTS {ident} ({columns}) USING iceberg{partitioned} LOCATION '{location}' TBLPROPERTIES ({properties})"
    )
    present = partition_fields(spark, dataset)
    for name in dataset.partition_names:
        if name not in present:
            spark.sql(f"ALTER TABLE {ident} ADD PARTITION FIELD {_quote(name)}")


def partition_fields(spark: SparkSession, dataset: Dataset) -> List[str]:
    """The identity fields of the table's partition spec, in spec order, as ``DESCRIBE TABLE`` lists them.

    Spark lists identity fields by column under ``# Partition Information``
    (other transforms would be listed under ``# Partitioning``; the jobs make none).
    """
    fields: List[str] = []
    section = None
    for row in spark.sql(f"DESCRIBE TABLE {dataset.iceberg_table}").collect():
        name = (row["col_name"] or "").strip()
        if name.startswith("#"):
            section = name if name in ("# Partition Information", "# Partitioning") else (section if name == "# col_name" else None)
        elif not name:
            section = None
        elif section == "# Partition Information":
            fields.append(name)
        elif section == "# Partitioning":
            fields.append((row["data_type"] or "").strip())
    return fields


def read_iceberg(spark: SparkSession, dataset: Dataset) -> DataFrame:
    """The table's current snapshot, columns in the table schema's order."""
    return spark.table(dataset.iceberg_table).select(*[f.name for f in dataset.table_schema().fields])


def exists(spark: SparkSession, dataset: Dataset) -> bool:
    """Whether the catalog has the table (a foreign-key lookup before the first batch finds none)."""
    return bool(spark.catalog.tableExists(dataset.iceberg_table.replace("`", "")))


def _incoming_wins(dataset: Dataset) -> str:
    """The MERGE condition under which an incoming row replaces the current version of its key."""
    if not dataset.order_by:
        return "true"
    order = _quote(dataset.order_by)
    return f"t.{order} IS NULL OR (s.{order} IS NOT NULL AND s.{order} >= t.{order})"


def merge(spark: SparkSession, dataset: Dataset, winners: DataFrame) -> Mapping[str, str]:
    """MERGE INTO the table on the primary key (null-safe, as the Parquet merge groups keys); one commit.

    Returns the summary of the snapshot the merge committed ({} when it committed none).
    """
    view = f"lakehouse_incoming_{dataset.name}"
    # MERGE needs a deterministic source, and the rows' lineage is not (file names, line
    # positions): materialize them once, which also spares the merge's two reads a recompute.
    source = winners.select(*[f.name for f in dataset.table_schema().fields]).localCheckpoint(eager=True)
    source.createOrReplaceTempView(view)
    before = current_snapshot_id(spark, dataset)
    on = " AND ".join(f"t.{_quote(k)} <=> s.{_quote(k)}" for k in dataset.primary_key)
    spark.sql(
        f"MERGE INTO {dataset.iceberg_table} t USING {view} s ON {on} "
        f"WHEN MATCHED AND ({_incoming_wins(dataset)}) THEN UPDATE SET * "
        "WHEN NOT MATCHED THEN INSERT *"
    )
    spark.catalog.dropTempView(view)
    after = current_snapshot_id(spark, dataset)
    hooks.after_commit(dataset)
    return snapshot_summary(spark, dataset, after) if after is not None and after != before else {}


def current_snapshot_id(spark: SparkSession, dataset: Dataset) -> Optional[int]:
    """The snapshot the table's ``main`` branch points at; None before the first commit."""
    rows = spark.sql(f"SELECT snapshot_id FROM {dataset.iceberg_table}.refs WHERE name = 'main'").collect()
    return int(rows[0]["snapshot_id"]) if rows else None


def snapshot_summary(spark: SparkSession, dataset: Dataset, snapshot_id: int) -> Dict[str, str]:
    rows = spark.sql(f"SELECT summary FROM {dataset.iceberg_table}.snapshots WHERE snapshot_id = {int(snapshot_id)}").collect()
    return dict(rows[0]["summary"]) if rows else {}


def partition_count(spark: SparkSession, dataset: Dataset) -> int:
    if not dataset.partition_names:
        return 0
    return int(spark.sql(f"SELECT count(*) AS n FROM {dataset.iceberg_table}.partitions").collect()[0]["n"])
