"""The history the S3 suites play: a batch, three dirty ticks, a rerun with nothing new, a killed run and its rerun.

``test_s3_iam.py`` plays it on Parquet tables and ``test_s3_iam_iceberg.py``
on Iceberg tables, each on ``s3://`` under the synthesized roles and on a
lake folder; every run must count the same everywhere.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest

from lakehelpers import ORDER_HEADER, Crash, crash, order_json, order_line

T = [f"2024-03-09T0{h}:00:00Z" for h in range(1, 8)]

TICKS = {
    "tick-1": (
        "2024/03/09/tick-1.json",
        [
            order_json("o10", "2024-03-08T10:00:00Z", T[0]),
            order_json("o11", "2024-03-08T11:00:00Z", T[0], quantity=1),
            order_json("o-unknown", "2024-03-08T12:00:00Z", T[0], customer="c404"),
            order_json("o-negative", "2024-03-08T12:00:00Z", T[0], quantity=-1),
        ],
    ),
    "tick-2": (
        "2024/03/09/tick-2.json",
        [
            order_json("o10", "2024-03-08T10:00:00Z", T[1], quantity=4),  # a newer version of o10
            "{not json",
            order_json("o-future", "2024-03-11T12:00:00Z", T[1]),
        ],
    ),
    "tick-3": (
        "2024/03/09/tick-3.json",
        [
            order_json("o12", "2024-03-01T09:00:00Z", T[2]),  # late: lands in an old partition
            order_json("o11", "2024-03-08T11:00:00Z", T[2], quantity=2),
            order_json("o11", "2024-03-08T11:00:00Z", T[1], quantity=9),  # older duplicate in the same file
        ],
    ),
}
CRASH_TICK = ("2024/03/09/tick-4.json", [order_json("o1", "2024-03-02T11:00:00Z", T[3], quantity=3), order_json("o13", "2024-03-03T07:00:00Z", T[3])])


def seed(lake) -> None:
    lake.seed_dimensions()
    lake.write_csv(
        "orders",
        "orders.csv",
        ORDER_HEADER,
        [
            order_line("o1", "2024-03-01T10:00:00Z"),
            order_line("o2", "2024-03-02T10:00:00Z", customer="c2", product="p2", price="12.50"),
            order_line("o3", "2024-03-03T10:00:00Z"),
            order_line("o-bad-customer", "2024-03-03T10:00:00Z", customer=""),
        ],
    )


def counts(report: Dict[str, Any]) -> Dict[str, Any]:
    """What a run did, without paths, times and ids: must be equal on a folder and on S3."""
    keys = ("rows_read", "rows_written", "rows_quarantined", "duplicates_dropped", "quarantined_by_reason", "partitions_written", "files_processed")
    return {name: {k: d[k] for k in keys} for name, d in report["datasets"].items()}


def play_history(shop, spark, lake, run_as, monkeypatch, crash_point: str = "after_write") -> Dict[str, Dict[str, Any]]:
    """Runs the whole history on ``lake``; ``run_as(job)`` switches to the job's credentials. Returns reports by run id.

    The killed run dies at ``crash_point`` (a hook in ``etl.hooks``): after its new files
    are written for Parquet, after its commit for Iceberg.
    """
    reports: Dict[str, Dict[str, Any]] = {}

    def run(job: str, run_id: str) -> None:
        run_as(job)
        reports[run_id] = shop.run(job, spark, lake, run_id)

    seed(lake)
    run("batch", "batch-1")
    for run_id, (name, lines) in TICKS.items():
        lake.write_feed(name, lines)
        run("incremental", run_id)
    before_rerun = lake.curated_files("orders")
    run("incremental", "rerun")
    reports["rerun"]["_curated_unchanged"] = lake.curated_files("orders") == before_rerun
    lake.write_feed(*CRASH_TICK)
    with monkeypatch.context() as patch:
        patch.setattr(shop.etl.hooks, crash_point, crash)
        run_as("incremental")
        with pytest.raises(Crash):
            shop.run("incremental", spark, lake, "crashed")
    run("incremental", "after-crash")
    return reports
