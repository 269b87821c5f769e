"""The merge: one version per primary key, upserted into a curated table, rewriting only the partitions it touches.

The crash points between writing the new files and removing the old ones live
in ``hooks``; the merge calls them through that module (``hooks.after_write``),
so a test that replaces one there reaches this code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Sequence, Set, Tuple

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from . import hooks, iceberg
from .curated import curated_files, partition_dir, partition_of, read_table, root_files
from .lake_io import Lake, LakeFile
from .model import ARRIVAL, REASONS, WINNER, Dataset
from .runtime import log


def _latest_first(dataset: Dataset, *extra: Column) -> List[Column]:
    """Order within a key: latest ordering column first (NULL = oldest), then ``extra`` tie-breakers."""
    order: List[Column] = []
    if dataset.order_by:
        order.append(F.col(dataset.order_by).desc_nulls_last())
    return order + list(extra)


def _dedupe_order(dataset: Dataset) -> List[Column]:
    """Order within a key of a run's rows: latest ordering column (NULL = oldest), then the
    later arrival (file arrival time, file, line), then a hash of the row (deterministic)."""
    fingerprint = F.xxhash64(*[F.col(c).cast("string") for c in dataset.columns])
    return _latest_first(dataset, F.col(ARRIVAL).desc_nulls_last(), fingerprint.desc())


def dedupe(valid: DataFrame, dataset: Dataset) -> DataFrame:
    """One row per primary key: the latest by the ordering column (NULL = oldest), then the
    later arrival; remaining ties are broken by a hash of the row (deterministic)."""
    window = Window.partitionBy(*dataset.primary_key).orderBy(*_dedupe_order(dataset))
    return valid.withColumn("_rank", F.row_number().over(window)).where("_rank = 1").drop("_rank")


def mark_winners(checked: DataFrame, dataset: Dataset) -> DataFrame:
    """``checked`` plus ``_winner``: true for the one valid row per key that ``dedupe`` keeps.

    Rows with reasons are ranked apart from valid ones (the validity is part of the
    window's partitioning), so they never take a valid row's place; they are never winners.
    """
    valid = F.size(REASONS) == 0
    window = Window.partitionBy(valid, *dataset.primary_key).orderBy(*_dedupe_order(dataset))
    return checked.withColumn(WINNER, valid & (F.row_number().over(window) == 1))


@dataclass
class UpsertResult:
    rows_written: int = 0
    superseded: int = 0
    partitions_written: List[str] = field(default_factory=list)
    partitions_in_table: int = 0
    files_written: int = 0
    files_removed: int = 0


def upsert(
    spark: SparkSession, lake: Lake, dataset: Dataset, winners: DataFrame, incoming: Mapping[str, int]
) -> UpsertResult:
    """Merges one version per key into the curated table, rewriting only touched partitions.

    Touched partitions are those of the incoming rows plus those holding the
    current versions of incoming keys (found by reading only key, partition
    and ordering columns, see ``_current_versions``). Each touched partition is rebuilt from its current
    rows and the incoming rows, keeping per key the latest by the ordering
    column (NULL = oldest; on a tie the incoming row wins), written as new
    files, and only then are the partition's previous files deleted. A crash
    between those steps leaves both old and new files (readable, possibly
    with a key twice, never a lost row); the next run touches the same
    partitions and keeps one version per key, so a rerun completes it.

    ``winners`` has one row per key; ``incoming`` maps each of its partition
    directories ('' when unpartitioned) to its row count. An Iceberg table is
    merged by ``upsert_iceberg`` instead.
    """
    if dataset.is_iceberg:
        return upsert_iceberg(spark, lake, dataset, winners, incoming)
    table_dir = lake.curated_dir(dataset.table)
    existing = curated_files(lake, dataset)
    by_partition: Dict[str, List[LakeFile]] = {}
    for f in existing:
        by_partition.setdefault(partition_of(lake, dataset, f), []).append(f)

    winners = winners.select(*dataset.columns, *dataset.partition_names).withColumn("_incoming", F.lit(1))
    names, key = dataset.partition_names, list(dataset.primary_key)
    old_partitions, superseded = _current_versions(spark, lake, dataset, existing, winners)
    touched = sorted(set(incoming) | old_partitions)
    old_files = [f for p in touched for f in by_partition.get(p, [])]

    merged = winners
    if old_files:
        current = read_table(spark, lake, dataset, old_files).withColumn("_incoming", F.lit(0))
        fingerprint = F.xxhash64(*[F.col(c).cast("string") for c in dataset.columns])
        window = Window.partitionBy(*key).orderBy(*_latest_first(dataset, F.col("_incoming").desc(), fingerprint.desc()))
        ranked = current.unionByName(winners).withColumn("_rank", F.row_number().over(window))
        merged = ranked.where("_rank = 1").drop("_rank")
    total = sum(incoming.values())
    result = UpsertResult(rows_written=total - superseded, superseded=superseded)
    # A driver killed inside Spark's commit leaves committed task output under
    # _temporary; the next commit would move it into the table. No other writer
    # runs (one job at a time), so whatever is there is stale.
    if lake.delete_tree(table_dir + "_temporary"):
        log(f"{dataset.name}: removed output a killed write left in {table_dir}_temporary")
    output = merged.drop("_incoming")
    writer = (output.repartition(*names) if names else output.coalesce(1)).write.mode("append")
    if names:
        writer = writer.partitionBy(*names)
    writer.parquet(lake.path(table_dir))
    hooks.after_write(dataset, touched)
    for p in touched:
        lake.delete(f.path for f in by_partition.get(p, []))
        hooks.after_partition(dataset, p)
        if p:
            lake.remove_empty_dirs(table_dir + p, table_dir)
    # Only touched partitions changed: list those again, not the whole table.
    now_in = {p: curated_files(lake, dataset, p) if p else root_files(lake, dataset) for p in touched}
    result.files_written = sum(len(files) for files in now_in.values())
    result.files_removed = len(old_files)
    result.partitions_written = [p for p in touched if p]
    if names:
        kept = (set(by_partition) - set(touched)) | {p for p, files in now_in.items() if files}
        result.partitions_in_table = len(kept)
    return result


def upsert_iceberg(
    spark: SparkSession, lake: Lake, dataset: Dataset, winners: DataFrame, incoming: Mapping[str, int]
) -> UpsertResult:
    """Merges one version per key into an Iceberg table with one MERGE INTO commit.

    The counts mean what they mean for Parquet: superseded incoming rows are
    found the same way (``_current_versions``), partitions written are those
    the incoming rows and the replaced versions are in, and the files written
    and removed are the committed snapshot's added and deleted data files.
    """
    iceberg.ensure_table(spark, lake, dataset)
    old_partitions, superseded = (set(), 0)
    if iceberg.current_snapshot_id(spark, dataset) is not None:
        old_partitions, superseded = _current_versions(spark, lake, dataset, [], winners, table_exists=True)
    summary = iceberg.merge(spark, dataset, winners)
    total = sum(incoming.values())
    touched = sorted(set(incoming) | old_partitions)
    return UpsertResult(
        rows_written=total - superseded,
        superseded=superseded,
        partitions_written=[p for p in touched if p],
        partitions_in_table=iceberg.partition_count(spark, dataset),
        files_written=int(summary.get("added-data-files", 0)),
        files_removed=int(summary.get("deleted-data-files", 0)),
    )


def _current_versions(
    spark: SparkSession,
    lake: Lake,
    dataset: Dataset,
    existing: Sequence[LakeFile],
    winners: DataFrame,
    table_exists: bool = False,
) -> Tuple[Set[str], int]:
    """Where the current versions of the incoming keys are, and how many incoming rows they beat.

    Reads only key, partition and ordering columns of curated, in one pass:
    returns the partitions holding a current version of an incoming key, and
    the number of incoming keys whose current version is strictly newer by the
    ordering column (those incoming rows are superseded; on a tie the incoming
    row wins, as in the merge).
    """
    names, key, order_by = dataset.partition_names, list(dataset.primary_key), dataset.order_by
    if not (existing or table_exists) or not (names or order_by):
        return set(), 0
    holding = read_table(spark, lake, dataset).select(*key, *names, *([order_by] if order_by else []))
    if not order_by:
        holders = holding.join(winners.select(*key), key, "left_semi").select(*names).distinct()
        return {partition_dir(dataset, list(r)) for r in holders.collect()}, 0
    versions = holding.join(winners.select(*key, F.col(order_by).alias("_incoming_order")), key, "inner")
    newer = (F.col(order_by) > F.col("_incoming_order")) | (
        F.col("_incoming_order").isNull() & F.col(order_by).isNotNull()
    )
    aggregates = [F.countDistinct(F.when(newer, F.struct(*key))).alias("superseded")]
    if names:
        aggregates.append(F.collect_set(F.struct(*names)).alias("partitions"))
    row = versions.agg(*aggregates).collect()[0]
    partitions = {partition_dir(dataset, list(p)) for p in row["partitions"]} if names else set()
    return partitions, int(row["superseded"])
