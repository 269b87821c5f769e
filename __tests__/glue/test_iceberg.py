"""Curated tables as Apache Iceberg (``format: "iceberg"``): the same rows, counts and guarantees as Parquet, in atomic commits.

The same history runs on two lakes, one rendered from ``shop.config.ts``
(every table Parquet) and one from ``shop_iceberg.config.ts`` (orders and
customers Iceberg, products Parquet): a batch with bad and duplicate rows,
dirty feed ticks (bad lines, a key twice in a file, a late order, an order
moving day, a stale version that must lose), a rerun with nothing new, a run
killed after its commit and its rerun. Both lakes must end with the same
curated rows and every report with the same counts.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from lakehelpers import (
    CUSTOMER_HEADER,
    CUSTOMERS,
    DATABASE,
    ORDER_HEADER,
    PRODUCT_HEADER,
    PRODUCTS,
    Crash,
    Lake,
    by_id,
    crash,
    order_json,
    order_line,
)

ICEBERG = "shop_iceberg.config.ts"
T1, T2, T3, T4 = "2024-03-09T08:00:00Z", "2024-03-09T09:00:00Z", "2024-03-09T10:00:00Z", "2024-03-09T11:00:00Z"
COUNTS = ("rows_read", "rows_written", "rows_quarantined", "duplicates_dropped", "duplicates_in_input", "superseded_by_curated")
CRASH_POINT = {"parquet": "after_write", "iceberg": "after_commit"}
"""Where each format's run dies in the crash step: after its new files are written / after its commit."""


def seed(lake: Lake) -> None:
    lake.write_csv("customers", "customers.csv", CUSTOMER_HEADER, [*CUSTOMERS, "c1,Ada Again,ada2@example.com,EU,2023-01-16", "c9,,bad,MARS,x"])
    lake.write_csv("products", "products.csv", PRODUCT_HEADER, PRODUCTS)
    lake.write_csv(
        "orders",
        "orders.csv",
        ORDER_HEADER,
        [
            order_line("o1", "2024-03-01T10:00:00Z"),
            order_line("o2", "2024-03-02T10:00:00Z"),
            order_line("o3", "2024-03-03T10:00:00Z", customer="c2", product="p2", quantity=1, price="12.50"),
            order_line("o3", "2024-03-03T11:00:00Z", customer="c2", product="p2", quantity=4, price="12.50"),
            order_line("o4", "2024-03-03T15:00:00Z", customer="c404"),
            "o5,c1,p1,not-a-time,2,25.00,50.00",
        ],
    )


TICKS: List[List[str]] = [
    [
        order_json("o10", "2024-03-09T07:00:00Z", T1),
        order_json("o10", "2024-03-09T07:30:00Z", T2, quantity=5),  # a key twice in one file: the later ingestion wins
        order_json("o11", "2024-02-27T07:00:00Z", T1, customer="c3"),  # late: an old partition
        "{not json",
        order_json("o12", "2024-03-09T07:00:00Z", T1, product="p404"),
    ],
    [
        order_json("o2", "2024-03-05T10:00:00Z", T3, quantity=9),  # moves from day 2 to day 5
        order_json("o10", "2024-03-09T07:00:00Z", T1, quantity=1),  # older than the curated version: loses
        order_json("o13", "2024-03-09T08:00:00Z", T3, quantity=0),
    ],
]
CRASHED_TICK = [order_json("o1", "2024-03-02T11:00:00Z", T4, quantity=3), order_json("o14", "2024-03-03T07:00:00Z", T4)]


def orders_snapshot(jobs, spark, lake: Lake):
    """The Iceberg orders table's current snapshot id (through the lake's catalog)."""
    import iceberg_local

    iceberg_local.use_lake_catalog(spark, str(lake.root))
    catalog = jobs.etl.IcebergCatalog(iceberg_local.CATALOG, DATABASE)
    orders = next(d for d in jobs.etl.load_datasets(jobs.batch.DATASETS, catalog) if d.name == "orders")
    return jobs.etl.iceberg.current_snapshot_id(spark, orders)


def history(jobs, spark, lake: Lake, fmt: str, monkeypatch) -> List[Dict[str, Any]]:
    """Runs the history on one lake; returns every report in order (the Iceberg lake's also notes its snapshots)."""
    seed(lake)
    reports = [jobs.run("batch", spark, lake, "batch-1")]
    for i, lines in enumerate(TICKS, start=1):
        lake.write_feed(f"2024/03/09/tick-{i}.json", lines)
        reports.append(jobs.run("incremental", spark, lake, f"inc-{i}"))
    before = orders_snapshot(jobs, spark, lake) if fmt == "iceberg" else None
    reports.append(jobs.run("incremental", spark, lake, "inc-nothing-new"))
    if fmt == "iceberg":
        reports[-1] = {**reports[-1], "_snapshots": (before, orders_snapshot(jobs, spark, lake))}
    lake.write_feed("2024/03/09/tick-crash.json", CRASHED_TICK)
    with monkeypatch.context() as patch:
        patch.setattr(jobs.etl.hooks, CRASH_POINT[fmt], crash)
        with pytest.raises(Crash):
            jobs.run("incremental", spark, lake, "inc-crashed")
    reports.append(jobs.run("incremental", spark, lake, "inc-rerun"))
    reports.append(jobs.run("batch", spark, lake, "batch-rerun"))
    return reports


@pytest.fixture(scope="module")
def histories(shop, load_jobs, spark, tmp_path_factory):
    """The history on a Parquet lake and on an Iceberg lake: ``{format: (lake, reports)}``."""
    result = {}
    for fmt, jobs in (("parquet", shop), ("iceberg", load_jobs(ICEBERG))):
        lake = Lake(tmp_path_factory.mktemp(f"history-{fmt}") / "lake")
        with pytest.MonkeyPatch.context() as patch:
            result[fmt] = (lake, history(jobs, spark, lake, fmt, patch))
    return result


def counts(report: Dict[str, Any]) -> Dict[str, Dict[str, int]]:
    """The report's row counts per dataset (what must be equal in both formats)."""
    return {name: {c: d[c] for c in COUNTS} for name, d in report["datasets"].items()}


@pytest.mark.parametrize("table", ["orders", "dim_customers", "dim_products"])
def test_the_history_leaves_the_same_curated_rows_in_both_formats(histories, spark, table):
    (parquet, _), (iceberg, _) = histories["parquet"], histories["iceberg"]
    assert iceberg.curated(spark, table) == parquet.curated(spark, table)


def test_every_run_of_the_history_reports_the_same_counts_in_both_formats(histories):
    (_, parquet), (_, iceberg) = histories["parquet"], histories["iceberg"]
    assert [counts(r) for r in iceberg] == [counts(r) for r in parquet]


def test_the_history_ends_with_one_version_per_key_the_latest(histories, spark):
    lake, _ = histories["iceberg"]
    rows = by_id(lake.curated(spark, "orders"))
    assert sorted(rows) == ["o1", "o10", "o11", "o14", "o2", "o3"]
    assert rows["o10"]["quantity"] == 5 and rows["o3"]["quantity"] == 4 and rows["o1"]["quantity"] == 3
    assert (rows["o2"]["day"], rows["o2"]["quantity"]) == (5, 9)


def test_iceberg_tables_are_in_the_catalog_at_their_curated_folder(histories, spark):
    import iceberg_local

    lake, _ = histories["iceberg"]
    iceberg_local.use_lake_catalog(spark, str(lake.root))
    for table in ("orders", "dim_customers"):
        detail = {r["col_name"]: r["data_type"] for r in spark.sql(f"DESCRIBE TABLE EXTENDED glue_catalog.{DATABASE}.{table}").collect()}
        assert detail["Location"] == f"file:{lake.root}/curated/{table}"
        assert detail["Provider"] == "iceberg"
    assert not lake.is_iceberg("dim_products") and lake.partitions("dim_products") == []


def test_the_iceberg_partition_spec_is_the_declared_keys_as_identity_fields(histories, spark, load_jobs):
    import iceberg_local

    lake, _ = histories["iceberg"]
    jobs = load_jobs(ICEBERG)
    iceberg_local.use_lake_catalog(spark, str(lake.root))
    datasets = {d.name: d for d in jobs.etl.load_datasets(jobs.batch.DATASETS, jobs.etl.IcebergCatalog("glue_catalog", DATABASE))}
    assert jobs.etl.iceberg.partition_fields(spark, datasets["orders"]) == ["year", "month", "day"]
    assert jobs.etl.iceberg.partition_fields(spark, datasets["customers"]) == []
    data = sorted(p.relative_to(lake.root / "curated/orders/data").parent.as_posix() for p in (lake.root / "curated/orders/data").rglob("*.parquet"))
    assert "year=2024/month=3/day=5" in data


def test_a_run_with_nothing_new_commits_no_snapshot(histories):
    _, reports = histories["iceberg"]
    nothing_new = next(r for r in reports if r["run_id"] == "inc-nothing-new")
    before, after = nothing_new["_snapshots"]
    assert before is not None and after == before
    assert nothing_new["datasets"]["orders"]["rows_read"] == 0


def test_the_report_counts_the_data_files_the_commit_added_and_removed(histories):
    _, reports = histories["iceberg"]
    tick2 = next(r for r in reports if r["run_id"] == "inc-2")["datasets"]["orders"]
    assert tick2["files_written"] >= 1 and tick2["files_removed"] >= 1
    assert "year=2024/month=3/day=2" in tick2["partitions_written"] and "year=2024/month=3/day=5" in tick2["partitions_written"]


def test_a_run_killed_after_its_commit_leaves_every_key_once_and_its_files_unprocessed(load_jobs, spark, tmp_path, monkeypatch):
    jobs = load_jobs(ICEBERG)
    lake = Lake(tmp_path / "lake")
    seed(lake)
    jobs.run("batch", spark, lake, "batch-1")
    lake.write_feed("a.json", CRASHED_TICK)
    with monkeypatch.context() as patch:
        patch.setattr(jobs.etl.hooks, "after_commit", crash)
        with pytest.raises(Crash):
            jobs.run("incremental", spark, lake, "inc-crashed")

    after_crash = lake.curated(spark, "orders")
    ids = [r["order_id"] for r in after_crash]
    assert len(ids) == len(set(ids)) and {"o1", "o14"} <= set(ids)  # committed: one version per key, never half a merge
    assert not (lake.root / "_system/manifests/orders/inc-crashed.json").exists()
    rerun = jobs.run("incremental", spark, lake, "inc-rerun")
    assert rerun["datasets"]["orders"]["rows_written"] == 2
    assert lake.curated(spark, "orders") == after_crash  # the rerun changed no row
    assert json.loads((lake.root / "_system/manifests/orders/inc-rerun.json").read_text())["files"][0]["path"] == "raw/orders_incremental/a.json"


def test_an_iceberg_job_without_its_catalog_database_fails_naming_the_argument(load_jobs, spark, tmp_path):
    jobs = load_jobs(ICEBERG)
    with pytest.raises(ValueError, match="--catalog_database"):
        jobs.batch.run(spark, str(tmp_path / "lake"), "no-db", "test-batch", None, None)


def terraform_like_table(spark, jobs, lake: Lake, columns: str) -> None:
    """Creates orders as Terraform's Glue CreateTable would: the given columns, no partition spec, none of the jobs' properties."""
    import iceberg_local

    iceberg_local.use_lake_catalog(spark, str(lake.root))
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS glue_catalog.{DATABASE}")
    spark.sql(f"CREATE TABLE glue_catalog.{DATABASE}.orders ({columns}) USING iceberg LOCATION '{lake.root}/curated/orders'")


ORDERS_COLUMNS = (
    "order_id string, customer_id string, product_id string, order_ts timestamp, quantity int, unit_price decimal(10,2),"
    " revenue decimal(12,2), order_date date, ingested_at timestamp, year int, month int, day int"
)


def test_a_table_terraform_created_gets_the_partition_spec_and_properties_on_the_first_write(load_jobs, spark, tmp_path):
    jobs = load_jobs(ICEBERG)
    lake = Lake(tmp_path / "lake")
    seed(lake)
    terraform_like_table(spark, jobs, lake, ORDERS_COLUMNS)

    jobs.run("batch", spark, lake, "batch-1")

    properties = {r["key"]: r["value"] for r in spark.sql(f"SHOW TBLPROPERTIES glue_catalog.{DATABASE}.orders").collect()}
    assert {k: properties.get(k) for k in jobs.etl.iceberg.TABLE_PROPERTIES} == jobs.etl.iceberg.TABLE_PROPERTIES
    datasets = {d.name: d for d in jobs.etl.load_datasets(jobs.batch.DATASETS, jobs.etl.IcebergCatalog("glue_catalog", DATABASE))}
    assert jobs.etl.iceberg.partition_fields(spark, datasets["orders"]) == ["year", "month", "day"]
    assert sorted(r["order_id"] for r in lake.curated(spark, "orders")) == ["o1", "o2", "o3"]


def test_a_column_the_config_adds_is_added_to_the_iceberg_table(load_jobs, spark, tmp_path):
    jobs = load_jobs(ICEBERG)
    lake = Lake(tmp_path / "lake")
    seed(lake)
    terraform_like_table(spark, jobs, lake, ORDERS_COLUMNS.replace(" order_date date,", ""))

    jobs.run("batch", spark, lake, "batch-1")

    assert {str(r["order_date"]) for r in lake.curated(spark, "orders")} == {"2024-03-01", "2024-03-02", "2024-03-03"}


def test_a_column_whose_type_changed_fails_the_run_naming_it(load_jobs, spark, tmp_path):
    jobs = load_jobs(ICEBERG)
    lake = Lake(tmp_path / "lake")
    seed(lake)
    terraform_like_table(spark, jobs, lake, ORDERS_COLUMNS.replace("quantity int", "quantity bigint"))

    with pytest.raises(ValueError, match=r"orders`\.quantity is bigint in the table and int in the config"):
        jobs.run("batch", spark, lake, "batch-1")
