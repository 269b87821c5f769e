"""Publishing a validated dataset: rows with reasons to quarantine, one version per key into curated, counted per file."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .curated import partition_dir
from .lake_io import Lake
from .merge import mark_winners, upsert
from .model import ORIGINAL, RAW_RECORD, REASONS, SOURCE_FILE, WINNER, Dataset
from .readers import FileProblem
from .report import DatasetResult
from .runtime import iso


def write_quarantine(lake: Lake, dataset: Dataset, bad: DataFrame, run_id: str, now: dt.datetime) -> str:
    """Writes rejected rows as JSON lines under ``quarantine/<dataset>/run_id=<id>/``.

    Each row: the original raw values (strings, every column present),
    ``_reasons``, ``_raw_record`` (the line as read; oversized ones cut to
    ``RAW_RECORD_KEEP_CHARS``), ``_source_file`` (lake-relative) and
    ``_quarantined_at``.
    """
    target = lake.quarantine_dir(dataset.name, run_id)
    (
        bad.select(
            f"{ORIGINAL}.*",
            REASONS,
            RAW_RECORD,
            SOURCE_FILE,
            F.lit(iso(now)).alias("_quarantined_at"),
        )
        .coalesce(1)
        .write.mode("overwrite")
        .option("ignoreNullFields", "false")
        .json(lake.path(target))
    )
    return target


def publish(
    spark: SparkSession,
    lake: Lake,
    dataset: Dataset,
    checked: DataFrame,
    files: List[FileProblem],
    run_id: str,
    now: dt.datetime,
) -> DatasetResult:
    """Quarantines rows with reasons, drops duplicate keys, upserts the rest into curated."""
    names = dataset.partition_names
    # The run's duplicates are ranked before caching, so one aggregation over the cached
    # rows gives every count: rows per (file, reason list) and winners per partition.
    checked = mark_winners(checked, dataset).persist()
    try:
        result = DatasetResult(dataset=dataset, files=files)
        by_file: Dict[str, List[int]] = {}
        incoming: Dict[str, int] = {}
        winner_partition = [F.when(F.col(WINNER), F.col(n)).alias(n) for n in names]
        for row in checked.groupBy(SOURCE_FILE, REASONS, WINNER, *winner_partition).count().collect():
            counts = by_file.setdefault(row[SOURCE_FILE], [0, 0])
            counts[0] += row["count"]
            if row[REASONS]:
                counts[1] += row["count"]
                for reason in row[REASONS]:
                    result.quarantined_by_reason[reason] = result.quarantined_by_reason.get(reason, 0) + row["count"]
            if row[WINNER]:
                partition = partition_dir(dataset, [row[n] for n in names])
                incoming[partition] = incoming.get(partition, 0) + row["count"]
        result.file_rows = {path: (rows, bad) for path, (rows, bad) in by_file.items()}
        known = {f.path for f in files}
        for path in sorted(set(by_file) - known):
            files.append(FileProblem(path=path, problems=["records not matched to a listed file"]))
        result.rows_read = sum(rows for rows, _ in by_file.values())
        result.rows_quarantined = sum(bad for _, bad in by_file.values())

        if result.rows_quarantined:
            result.quarantine_path = write_quarantine(lake, dataset, checked.where(F.size(REASONS) > 0), run_id, now)

        valid_rows = result.rows_read - result.rows_quarantined
        if valid_rows:
            result.duplicates_in_input = valid_rows - sum(incoming.values())
            result.upsert = upsert(spark, lake, dataset, checked.where(F.col(WINNER)), incoming)
        return result
    finally:
        checked.unpersist()
