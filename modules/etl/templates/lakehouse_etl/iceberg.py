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
    # Snappy, as Spark writes the Parquet tables (Iceberg's default is zstd): the same codec for both formats.
    "write.parquet.compression-codec": "snappy",
    # Copy-on-write: readers (Athena, Trino, DuckDB) see plain data files, no delete files to merge.
    "write.merge.mode": "copy-on-write",
    "write.update.mode": "copy-on-write",
    "write.delete.mode": "copy-on-write",
    # Keep the metadata folder from growing one file per commit forever.
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "20",
}


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _literal(text: str) -> str:
    """A Spark SQL string literal (Spark reads backslash escapes in literals)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ensure_table(spark: SparkSession, lake: Lake, dataset: Dataset) -> None:
    """Makes the table what the config declares: created if missing, then columns, properties and spec aligned.

    On Glue the table exists (Terraform created it: the declared columns, no
    partition spec, which the Glue API cannot declare, and none of our table
    properties), so the first run that writes it sets the properties and adds
    the identity fields; from then on everything matches and nothing changes.
    A column added to the config is added to the table; a column the table
    has and the config dropped, a changed type, or a dropped partition key
    fails the run, naming it: those need a rebuild (docs/iceberg.md).
    """
    ident = dataset.iceberg_table
    assert ident, f"{dataset.name} is not an Iceberg dataset"
    namespace = ident.rsplit(".", 1)[0]
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {namespace}")
    columns = ", ".join(f"{_quote(f.name)} {f.dataType.simpleString()}" for f in dataset.table_schema().fields)
    location = lake.path(lake.curated_dir(dataset.table)).rstrip("/")
    properties = ", ".join(f"{_literal(k)} = {_literal(v)}" for k, v in TABLE_PROPERTIES.items())
    partitioned = f" PARTITIONED BY ({', '.join(_quote(n) for n in dataset.partition_names)})" if dataset.partition_names else ""
    spark.sql(
        f"CREATE TABLE IF NOT EXISTS {ident} ({columns}) USING iceberg{partitioned} LOCATION {_literal(location)} TBLPROPERTIES ({properties})"
    )
    _align_columns(spark, dataset)
    current = {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES {ident}").collect()}
    changed = {k: v for k, v in TABLE_PROPERTIES.items() if current.get(k) != v}
    if changed:
        spark.sql(f"ALTER TABLE {ident} SET TBLPROPERTIES ({', '.join(f'{_literal(k)} = {_literal(v)}' for k, v in changed.items())})")
    present = partition_fields(spark, dataset)
    dropped = [name for name in present if name not in dataset.partition_names]
    if dropped:
        raise ValueError(f"{ident} is partitioned by {', '.join(dropped)}, which the config no longer declares: rebuild the table")
    for name in dataset.partition_names:
        if name not in present:
            spark.sql(f"ALTER TABLE {ident} ADD PARTITION FIELD {_quote(name)}")


def _align_columns(spark: SparkSession, dataset: Dataset) -> None:
    """Adds declared columns the table lacks; fails, naming them, on undeclared columns or changed types."""
    ident = dataset.iceberg_table
    table = {f.name: f.dataType for f in spark.table(ident).schema.fields}
    declared = dataset.table_schema().fields
    undeclared = [name for name in table if name not in {f.name for f in declared}]
    if undeclared:
        raise ValueError(f"{ident} has columns the config does not declare ({', '.join(undeclared)}): rebuild the table to drop them")
    for f in declared:
        if f.name in table and table[f.name] != f.dataType:
            raise ValueError(
                f"{ident}.{f.name} is {table[f.name].simpleString()} in the table and {f.dataType.simpleString()} in the config:"
                " rebuild the table to change a type"
            )
    missing = [f for f in declared if f.name not in table]
    if missing:
        spark.sql(f"ALTER TABLE {ident} ADD COLUMNS ({', '.join(f'{_quote(f.name)} {f.dataType.simpleString()}' for f in missing)})")


def partition_fields(spark: SparkSession, dataset: Dataset) -> List[str]:
    """The fields of the table's current partition spec, in spec order (the ``partition`` struct of its ``partitions`` table)."""
    schema = spark.table(f"{dataset.iceberg_table}.partitions").schema
    return list(schema["partition"].dataType.fieldNames()) if "partition" in schema.fieldNames() else []


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
    try:
        spark.sql(
            f"MERGE INTO {dataset.iceberg_table} t USING {view} s ON {on} "
            f"WHEN MATCHED AND ({_incoming_wins(dataset)}) THEN UPDATE SET * "
            "WHEN NOT MATCHED THEN INSERT *"
        )
    finally:
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
