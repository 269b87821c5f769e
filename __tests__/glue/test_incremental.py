"""The incremental job: new JSON lines -> upsert into curated orders.

Every test starts from a copy of one lake that a batch run filled with the
dimensions and four orders over three days (2024-03-01..03).
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from conftest import copy_lake
from lakehelpers import ORDER_HEADER, Crash, Lake, by_id, crash, find_quarantined, order_json, order_line

DAY1, DAY2, DAY3 = (f"year=2024/month=3/day={d}" for d in (1, 2, 3))
T1, T2, T3 = "2024-03-09T08:00:00Z", "2024-03-09T09:00:00Z", "2024-03-09T10:00:00Z"


@pytest.fixture(scope="module")
def base_lake(shop, spark, tmp_path_factory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("incremental-base") / "lake")
    lake.seed_dimensions()
    lake.write_csv(
        "orders",
        "orders.csv",
        ORDER_HEADER,
        [
            order_line("o1", "2024-03-01T10:00:00Z"),
            order_line("o2", "2024-03-02T10:00:00Z"),
            order_line("o3", "2024-03-03T10:00:00Z"),
            order_line("o4", "2024-03-03T15:00:00Z"),
        ],
    )
    shop.run("batch", spark, lake, "base")
    return lake


@pytest.fixture
def lake(base_lake, tmp_path) -> Lake:
    return copy_lake(base_lake, tmp_path / "lake")


def orders(lake: Lake, spark):
    return by_id(lake.curated(spark, "orders"))


def test_new_feed_files_are_processed_once_and_recorded_in_the_manifest(shop, spark, lake):
    lake.write_feed("2024/03/09/a.json", [order_json("o10", "2024-03-09T07:00:00Z", T1)])
    first = shop.run("incremental", spark, lake, "inc-1")
    lake.write_feed("2024/03/09/b.json", [order_json("o11", "2024-03-09T08:00:00Z", T2)])
    second = shop.run("incremental", spark, lake, "inc-2")

    assert [f["path"] for f in first["datasets"]["orders"]["files"]] == ["raw/orders_incremental/2024/03/09/a.json"]
    assert [f["path"] for f in second["datasets"]["orders"]["files"]] == ["raw/orders_incremental/2024/03/09/b.json"]
    manifest = json.loads((lake.root / "_system/manifests/orders/inc-1.json").read_text())
    assert [f["path"] for f in manifest["files"]] == ["raw/orders_incremental/2024/03/09/a.json"]
    assert {"o10", "o11"} <= set(orders(lake, spark))


def test_rerun_with_no_new_files_is_a_no_op(shop, spark, lake):
    lake.write_feed("a.json", [order_json("o10", "2024-03-09T07:00:00Z", T1)])
    shop.run("incremental", spark, lake, "inc-1")
    before = lake.curated_files("orders")

    report = shop.run("incremental", spark, lake, "inc-2")

    assert lake.curated_files("orders") == before  # same files, same bytes, same mtimes
    assert report["totals"]["rows_read"] == 0 and report["totals"]["files_processed"] == 0
    assert not (lake.root / "quarantine/orders/run_id=inc-2").exists()
    assert not (lake.root / "_system/manifests/orders/inc-2.json").exists()


def test_latest_ingestion_wins_within_one_delta(shop, spark, lake):
    lake.write_feed("a.json", [order_json("o10", "2024-03-09T07:00:00Z", T2, quantity=2)])
    lake.write_feed("b.json", [order_json("o10", "2024-03-09T07:00:00Z", T3, quantity=5), order_json("o10", "2024-03-09T07:00:00Z", T1, quantity=1)])

    report = shop.run("incremental", spark, lake, "inc-1")

    assert orders(lake, spark)["o10"]["quantity"] == 5
    assert report["datasets"]["orders"]["duplicates_in_input"] == 2


def test_latest_ingestion_wins_across_deltas(shop, spark, lake):
    lake.write_feed("a.json", [order_json("o10", "2024-03-09T07:00:00Z", T2, quantity=5)])
    shop.run("incremental", spark, lake, "inc-1")
    lake.write_feed("b.json", [order_json("o10", "2024-03-09T07:00:00Z", T1, quantity=1)])  # arrives late, is older

    report = shop.run("incremental", spark, lake, "inc-2")

    assert orders(lake, spark)["o10"]["quantity"] == 5
    assert orders(lake, spark)["o10"]["ingested_at"] == dt.datetime(2024, 3, 9, 9, 0)
    assert report["datasets"]["orders"]["superseded_by_curated"] == 1
    assert report["datasets"]["orders"]["rows_written"] == 0


def test_a_late_order_rewrites_only_its_partition(shop, spark, lake):
    before = lake.curated_files("orders")
    lake.write_feed("late.json", [order_json("o9", "2024-03-01T18:00:00Z", T1)])

    report = shop.run("incremental", spark, lake, "inc-1")

    after = lake.curated_files("orders")
    untouched = {rel: v for rel, v in before.items() if not rel.startswith(DAY1)}
    assert {rel: after[rel] for rel in untouched} == untouched  # same bytes and mtimes
    assert [rel for rel in after if rel.startswith(DAY1)] != [rel for rel in before if rel.startswith(DAY1)]
    assert report["datasets"]["orders"]["partitions_written"] == [DAY1]
    assert set(orders(lake, spark)) == {"o1", "o2", "o3", "o4", "o9"}


def test_an_order_whose_timestamp_changes_moves_partition(shop, spark, lake):
    lake.write_feed("move.json", [order_json("o1", "2024-03-02T11:00:00Z", T1, quantity=3)])

    report = shop.run("incremental", spark, lake, "inc-1")

    rows = lake.curated(spark, "orders")
    assert [(r["order_id"], r["day"], r["quantity"]) for r in rows if r["order_id"] == "o1"] == [("o1", 2, 3)]
    assert DAY1 not in lake.partitions("orders")  # its only order left: the folder is gone
    assert report["datasets"]["orders"]["partitions_written"] == [DAY1, DAY2]


def test_invalid_json_lines_are_quarantined_as_malformed(shop, spark, lake):
    lake.write_feed("mixed.json", ['{"order_id": "o-broken", ', "[1, 2]", "42", '"just text"', order_json("o10", "2024-03-09T07:00:00Z", T1)])
    lake.write("raw/orders_incremental/latin1.json", order_json("o-latin1", "2024-03-09T07:00:00Z", T1).replace("c1", "c\u00e9").encode("latin-1") + b"\n")

    report = shop.run("incremental", spark, lake, "inc-1")

    rows = lake.quarantine("orders", "inc-1")
    assert sorted(r["_raw_record"][:12] for r in rows) == sorted(['"just text"', "42", "[1, 2]", '{"order_id":', '{"order_id":'])
    assert all(r["_reasons"] == ["malformed_record"] for r in rows)
    assert find_quarantined(rows, "o-latin1")["_source_file"] == "raw/orders_incremental/latin1.json"
    assert "o10" in orders(lake, spark)
    assert report["datasets"]["orders"]["quarantined_by_reason"] == {"malformed_record": 5}


def test_empty_feed_files_are_recorded_and_add_nothing(shop, spark, lake):
    lake.write("raw/orders_incremental/empty.json", b"")

    report = shop.run("incremental", spark, lake, "inc-1")

    assert report["datasets"]["orders"]["files"] == [
        {"path": "raw/orders_incremental/empty.json", "rows_read": 0, "rows_quarantined": 0, "problems": ["empty file"]}
    ]
    assert shop.run("incremental", spark, lake, "inc-2")["totals"]["files_processed"] == 0


def test_feed_rows_are_checked_against_the_curated_dimensions(shop, spark, lake):
    lake.write_feed("fk.json", [order_json("o10", "2024-03-09T07:00:00Z", T1, customer="c3"), order_json("o11", "2024-03-09T07:00:00Z", T1, customer="c999")])

    shop.run("incremental", spark, lake, "inc-1")

    assert find_quarantined(lake.quarantine("orders", "inc-1"), "o11")["_reasons"] == ["unknown_customer_id"]
    assert "o10" in orders(lake, spark)


def _bare(order_id: str, ts: str, **fields) -> str:
    """A feed line with exactly the orders columns: no ingestion metadata."""
    record = json.loads(order_json(order_id, ts, T1, **fields))
    del record["ingested_at"]
    return json.dumps(record)


def _arrived(path, at: str) -> None:
    """Sets a feed file's modification time (its arrival) to an ISO instant."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()
    os.utime(path, (moment, moment))


def test_a_feed_without_ingestion_metadata_reaches_curated_dated_by_its_files_arrival(shop, spark, lake):
    _arrived(lake.write_feed("bare.json", [_bare("o10", "2024-03-09T07:00:00Z")]), "2024-03-09T08:30:00Z")

    report = shop.run("incremental", spark, lake, "inc-1")

    assert report["datasets"]["orders"]["rows_written"] == 1 and report["datasets"]["orders"]["rows_quarantined"] == 0
    assert orders(lake, spark)["o10"]["ingested_at"] == dt.datetime(2024, 3, 9, 8, 30)


def test_without_metadata_the_later_line_of_a_file_wins(shop, spark, lake):
    lake.write_feed("bare.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=1), _bare("o10", "2024-03-09T07:00:00Z", quantity=5)])

    report = shop.run("incremental", spark, lake, "inc-1")

    assert orders(lake, spark)["o10"]["quantity"] == 5
    assert report["datasets"]["orders"]["duplicates_in_input"] == 1


def test_without_metadata_the_later_arriving_file_wins_whatever_its_name(shop, spark, lake):
    _arrived(lake.write_feed("b-first.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=1)]), "2024-03-09T08:00:00Z")
    _arrived(lake.write_feed("a-second.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=5)]), "2024-03-09T09:00:00Z")

    shop.run("incremental", spark, lake, "inc-1")

    assert orders(lake, spark)["o10"]["quantity"] == 5


def test_without_metadata_a_later_run_replaces_the_version_an_earlier_run_wrote(shop, spark, lake):
    _arrived(lake.write_feed("first.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=1)]), "2024-03-09T08:00:00Z")
    shop.run("incremental", spark, lake, "inc-1")
    _arrived(lake.write_feed("second.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=5)]), "2024-03-09T09:00:00Z")

    report = shop.run("incremental", spark, lake, "inc-2")

    assert orders(lake, spark)["o10"]["quantity"] == 5
    assert report["datasets"]["orders"]["superseded_by_curated"] == 0


def test_a_feed_mixing_rows_with_and_without_metadata_orders_them_on_one_timeline(shop, spark, lake):
    # The bare rows' file arrived at 08:30; the other file arrived earlier, at 08:10, but its rows
    # carry their own times. Arrival order alone would pick the bare rows for both keys.
    _arrived(
        lake.write_feed("bare.json", [_bare("o10", "2024-03-09T07:00:00Z", quantity=2), _bare("o11", "2024-03-09T07:00:00Z", quantity=2)]),
        "2024-03-09T08:30:00Z",
    )
    _arrived(
        lake.write_feed("explicit.json", [order_json("o10", "2024-03-09T07:00:00Z", T1, quantity=1), order_json("o11", "2024-03-09T07:00:00Z", T2, quantity=3)]),
        "2024-03-09T08:10:00Z",
    )

    shop.run("incremental", spark, lake, "inc-1")

    rows = orders(lake, spark)
    assert rows["o10"]["quantity"] == 2  # arrived 08:30 beats a row sent at 08:00
    assert rows["o11"]["quantity"] == 3  # a row sent at 09:00 beats one that arrived 08:30


def test_a_present_but_unreadable_ingestion_time_is_quarantined(shop, spark, lake):
    lake.write_feed("bad-time.json", [order_json("o10", "2024-03-09T07:00:00Z", "yesterday")])

    shop.run("incremental", spark, lake, "inc-1")

    assert find_quarantined(lake.quarantine("orders", "inc-1"), "o10")["_reasons"] == ["invalid_type:ingested_at"]


@pytest.mark.parametrize("crash_point", ["after_write", "after_partition"])
def test_a_run_killed_mid_write_is_completed_by_the_rerun(shop, spark, lake, monkeypatch, crash_point):
    lake.write_feed("a.json", [order_json("o1", "2024-03-02T11:00:00Z", T1, quantity=3), order_json("o10", "2024-03-03T07:00:00Z", T1)])
    with monkeypatch.context() as patch:
        patch.setattr(shop.etl.hooks, crash_point, crash)
        with pytest.raises(Crash):
            shop.run("incremental", spark, lake, "inc-crashed")
    assert not (lake.root / "quality_reports/incremental/inc-crashed.json").exists()
    assert not (lake.root / "_system/manifests/orders/inc-crashed.json").exists()
    assert {"o2", "o3", "o4"} <= {r["order_id"] for r in lake.curated(spark, "orders")}  # still readable, nothing lost

    report = shop.run("incremental", spark, lake, "inc-rerun")

    rows = lake.curated(spark, "orders")
    assert sorted(r["order_id"] for r in rows) == ["o1", "o10", "o2", "o3", "o4"]  # one version per key
    assert by_id(rows)["o1"]["day"] == 2 and by_id(rows)["o1"]["quantity"] == 3
    assert report["datasets"]["orders"]["rows_written"] == 2


def test_batch_rerun_after_incremental_runs_keeps_incremental_rows(shop, spark, lake):
    lake.write_feed("a.json", [order_json("o10", "2024-03-09T07:00:00Z", T1), order_json("o2", "2024-03-02T10:00:00Z", T1, quantity=7)])
    shop.run("incremental", spark, lake, "inc-1")

    report = shop.run("batch", spark, lake, "batch-2")

    rows = orders(lake, spark)
    assert set(rows) == {"o1", "o2", "o3", "o4", "o10"}
    assert rows["o2"]["quantity"] == 7  # the incremental version is newer than any batch row
    assert report["datasets"]["orders"]["superseded_by_curated"] == 1


def test_output_left_by_a_write_killed_inside_spark_does_not_resurface(shop, spark, lake):
    # A driver killed during Spark's commit leaves task output under _temporary; the next
    # write's commit would move it into the table (stale duplicates) unless it is cleared first.
    stale_dir = lake.root / "curated/orders/_temporary/0/task_20240309000000_0001_m_000000" / DAY2
    stale_dir.mkdir(parents=True)
    day1_file = next(p for p in (lake.root / "curated/orders" / DAY1).iterdir() if p.suffix == ".parquet")
    (stale_dir / "part-00000-stale.snappy.parquet").write_bytes(day1_file.read_bytes())  # o1, now in day 2
    lake.write_feed("a.json", [order_json("o10", "2024-03-02T07:00:00Z", T1)])

    shop.run("incremental", spark, lake, "inc-1")

    assert sorted(r["order_id"] for r in lake.curated(spark, "orders")) == ["o1", "o10", "o2", "o3", "o4"]
    assert not (lake.root / "curated/orders/_temporary").exists()
