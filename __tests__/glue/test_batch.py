"""The batch job: raw CSV -> typed curated Parquet, bad rows to quarantine with reasons.

One batch run over a lake that holds good rows and one example of every bad
input class; each test checks one behaviour of that run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import copy_lake
from lakehelpers import (
    CUSTOMER_HEADER,
    CUSTOMERS,
    ORDER_HEADER,
    PRODUCT_HEADER,
    PRODUCTS,
    Lake,
    assert_accounted,
    by_id,
    find_quarantined,
    order_line,
)

RUN = "batch-1"

GOOD_ORDERS = {
    "o1": order_line("o1", "2024-03-01T10:00:00Z"),
    "o2": order_line("o2", "2024-03-02T09:30:00", customer="c2", product="p2", quantity=3, price="12.50"),
    # 23:30 at -02:00 is 01:30 UTC the next day: partitioned (and dated) by UTC
    "o3": order_line("o3", "2024-03-02T23:30:00-02:00", customer="c3"),
    # within the 60 minute tolerance of NOW (2024-03-10T12:00Z)
    "o-near-now": order_line("o-near-now", "2024-03-10T12:45:00Z"),
}

# marker in the raw record -> (file, expected reasons)
BAD_ORDERS = {
    "broken CSV quoting": ("orders_1.csv", 'bad-quote,c1,"p1,2024-03-01T10:00:00Z,2,25.00,50.00', ["malformed_record"]),
    "stray quote inside a field": ("orders_1.csv", 'bad-stray,c1,p"1,2024-03-01T10:00:00Z,2,25.00,50.00', ["malformed_record"]),
    "too few fields": ("orders_1.csv", "bad-few,c1,p1,2024-03-01T10:00:00Z,2,25.00", ["malformed_record"]),
    "too many fields": ("orders_1.csv", "bad-many,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00,surplus", ["malformed_record"]),
    "wrong types": ("orders_1.csv", "bad-types,c1,p1,yesterday,two,25.00,50.00", ["invalid_type:order_ts", "invalid_type:quantity"]),
    "fractional quantity": ("orders_1.csv", "bad-fraction,c1,p1,2024-03-01T10:00:00Z,2.5,25.00,62.50", ["invalid_type:quantity"]),
    "null key": ("orders_1.csv", ",c1,p1,2024-03-01T10:00:07Z,2,25.00,50.00", ["null_value:order_id"]),
    "non-positive amounts": ("orders_1.csv", order_line("bad-zero", "2024-03-01T10:00:00Z", quantity=0), ["not_positive:quantity", "not_positive:revenue"]),
    "revenue mismatch": ("orders_1.csv", "bad-revenue,c1,p1,2024-03-01T10:00:00Z,2,25.00,60.00", ["product_mismatch:revenue"]),
    "unknown customer": ("orders_1.csv", order_line("bad-customer", "2024-03-01T10:00:00Z", customer="c404"), ["unknown_customer_id"]),
    "unknown product": ("orders_1.csv", order_line("bad-product", "2024-03-01T10:00:00Z", product="p404"), ["unknown_product_id"]),
    "future timestamp": ("orders_1.csv", order_line("bad-future", "2024-03-10T13:30:00Z"), ["future_timestamp:order_ts"]),
    "non-UTF-8 bytes": ("bad_encoding.csv", "bad-encoding", ["malformed_record"]),
    "huge single line": ("huge.csv", "bad-huge", ["malformed_record"]),
    "header missing a column": ("missing_column.csv", "bad-missing-column", ["malformed_record"]),
    "header with an extra column": ("extra_column.csv", "bad-extra-column", ["malformed_record"]),
}

BAD_CUSTOMERS = {
    "pattern mismatch": ("c-bad-email,Bob,not-an-email,EU,2023-01-01", ["pattern_mismatch:email"]),
    "value not allowed": ("c-bad-region,Zed,zed@example.com,MARS,2023-01-01", ["not_allowed:region"]),
    "missing required value": ("c-no-email,Nobody,,EU,2023-01-01", ["null_value:email"]),
    "impossible date": ("c-bad-date,Feb,feb@example.com,EU,2023-02-30", ["invalid_type:signup_date"]),
}


def build_raw(lake: Lake) -> None:
    lake.write_csv("customers", "customers.csv", CUSTOMER_HEADER, CUSTOMERS + [line for line, _ in BAD_CUSTOMERS.values()])
    lake.write_csv("products", "products.csv", PRODUCT_HEADER, PRODUCTS + ["p-neg,Refund,misc,-1.00"])
    in_main_file = [line for file, line, _ in BAD_ORDERS.values() if file == "orders_1.csv"]
    lake.write_csv("orders", "orders_1.csv", ORDER_HEADER, list(GOOD_ORDERS.values()) + in_main_file + [GOOD_ORDERS["o1"]])
    # o5 twice with different quantities: the later file wins
    lake.write_csv("orders", "orders_2.csv", ORDER_HEADER, [order_line("o5", "2024-03-05T08:00:00Z", quantity=1)])
    lake.write_csv("orders", "orders_3.csv", ORDER_HEADER, [order_line("o5", "2024-03-05T08:00:00Z", quantity=4)])
    lake.write("raw/orders/bad_encoding.csv", (ORDER_HEADER + "\n").encode() + b"bad-encoding,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00\xff\xfe\n")
    lake.write_csv("orders", "huge.csv", ORDER_HEADER, ["bad-huge,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00," + "x" * (2 * 1024 * 1024)])
    lake.write_csv("orders", "missing_column.csv", ORDER_HEADER.rsplit(",", 1)[0], ["bad-missing-column,c1,p1,2024-03-01T10:00:00Z,2,25.00"])
    lake.write_csv("orders", "extra_column.csv", ORDER_HEADER + ",coupon", ["bad-extra-column,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00,SPRING"])
    lake.write("raw/orders/empty.csv", b"")
    lake.write_csv("orders", "header_only.csv", ORDER_HEADER, [])
    # Columns in another order, Windows line endings, a byte order mark, a space in the name: all fine.
    reordered = "revenue,quantity,unit_price,order_ts,product_id,customer_id,order_id"
    lake.write("raw/orders/reordered.csv", f"\ufeff{reordered}\r\n50.00,2,25.00,2024-03-04T10:00:00Z,p1,c2,o4\r\n")
    lake.write_csv("orders", "more orders.csv", ORDER_HEADER, [order_line("o6", "2024-03-06T10:00:00Z")])
    lake.write("raw/orders/notes.txt", "not a CSV drop; ignored\n")


@pytest.fixture(scope="module")
def batch(shop, spark, tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("batch") / "lake")
    build_raw(lake)
    report = shop.run("batch", spark, lake, RUN)
    return lake, report


@pytest.fixture(scope="module")
def orders(batch, spark):
    lake, _ = batch
    return by_id(lake.curated(spark, "orders"))


@pytest.fixture(scope="module")
def quarantined(batch):
    lake, _ = batch
    return lake.quarantine("orders", RUN)


def test_good_orders_reach_curated_and_bad_ones_do_not(orders):
    assert set(orders) == {"o1", "o2", "o3", "o4", "o5", "o6", "o-near-now"}


def test_curated_orders_carry_the_declared_types(batch, spark):
    lake, _ = batch
    schema = {f.name: f.dataType.simpleString() for f in spark.read.parquet(str(lake.root / "curated/orders")).schema.fields}
    assert schema == {
        "order_id": "string",
        "customer_id": "string",
        "product_id": "string",
        "order_ts": "timestamp",
        "quantity": "int",
        "unit_price": "decimal(10,2)",
        "revenue": "decimal(12,2)",
        "order_date": "date",
        "ingested_at": "timestamp",
        "year": "int",
        "month": "int",
        "day": "int",
    }


def test_typed_values_are_parsed_from_text(orders):
    o2 = orders["o2"]
    assert (o2["quantity"], o2["unit_price"], o2["revenue"]) == (3, Decimal("12.50"), Decimal("37.50"))
    assert o2["order_ts"] == dt.datetime(2024, 3, 2, 9, 30)  # no offset means UTC
    assert o2["ingested_at"] is None  # batch rows have no ingestion time


def test_timestamps_with_an_offset_are_partitioned_and_dated_in_utc(orders):
    o3 = orders["o3"]
    assert o3["order_ts"] == dt.datetime(2024, 3, 3, 1, 30)
    assert o3["order_date"] == dt.date(2024, 3, 3)
    assert (o3["year"], o3["month"], o3["day"]) == (2024, 3, 3)


def test_orders_are_partitioned_by_year_month_day_without_zero_padding(batch):
    lake, _ = batch
    assert lake.partitions("orders") == [f"year=2024/month=3/day={d}" for d in (1, 10, 2, 3, 4, 5, 6)]


def test_dimension_tables_are_unpartitioned(batch):
    lake, _ = batch
    for table in ("dim_customers", "dim_products"):
        files = lake.curated_files(table)
        assert files and all("/" not in rel for rel in files), files


def test_dimension_rows_are_typed_and_bad_ones_quarantined(batch, spark):
    lake, _ = batch
    customers = by_id(lake.curated(spark, "dim_customers"), "customer_id")
    assert set(customers) == {"c1", "c2", "c3"}
    assert customers["c1"]["signup_date"] == dt.date(2023, 1, 15)
    assert {p["product_id"] for p in lake.curated(spark, "dim_products")} == {"p1", "p2"}
    assert find_quarantined(lake.quarantine("products", RUN), "p-neg")["_reasons"] == ["not_positive:unit_price"]


@pytest.mark.parametrize("case", sorted(BAD_CUSTOMERS))
def test_each_bad_customer_is_quarantined_with_its_reason(batch, case):
    lake, _ = batch
    line, reasons = BAD_CUSTOMERS[case]
    row = find_quarantined(lake.quarantine("customers", RUN), line.split(",")[0])
    assert row["_reasons"] == reasons


@pytest.mark.parametrize("case", sorted(BAD_ORDERS))
def test_each_bad_order_is_quarantined_with_its_reason_and_source_file(quarantined, case):
    file, line, reasons = BAD_ORDERS[case]
    marker = line.split(",")[0] or line.split(",")[3]
    row = find_quarantined(quarantined, marker)
    assert row["_reasons"] == reasons
    assert row["_source_file"] == f"raw/orders/{file}"


def test_quarantine_keeps_the_original_values_as_text(quarantined):
    row = find_quarantined(quarantined, "bad-types")
    assert {k: row[k] for k in ("order_id", "order_ts", "quantity", "unit_price")} == {
        "order_id": "bad-types",
        "order_ts": "yesterday",
        "quantity": "two",
        "unit_price": "25.00",
    }
    assert row["_raw_record"] == "bad-types,c1,p1,yesterday,two,25.00,50.00"


def test_quarantine_cuts_an_oversized_record_but_keeps_its_start(quarantined):
    row = find_quarantined(quarantined, "bad-huge")
    assert row["_raw_record"].startswith("bad-huge,c1,p1,")
    assert len(row["_raw_record"]) == 65536


def test_quarantine_is_written_under_the_run_id(batch):
    lake, report = batch
    assert report["datasets"]["orders"]["quarantine_path"] == f"quarantine/orders/run_id={RUN}/"
    assert list((lake.root / "quarantine/orders").iterdir()) == [lake.root / f"quarantine/orders/run_id={RUN}"]


def test_duplicate_keys_keep_one_row_from_the_latest_file_and_are_counted(batch, orders):
    _, report = batch
    assert orders["o5"]["quantity"] == 4
    assert report["datasets"]["orders"]["duplicates_in_input"] == 2  # o1 repeated, o5 in two files
    assert report["datasets"]["orders"]["duplicates_dropped"] == 2


def test_report_counts_rows_by_outcome_and_reason(batch):
    _, report = batch
    o = report["datasets"]["orders"]
    assert_accounted(report)
    assert (o["rows_read"], o["rows_written"], o["rows_quarantined"]) == (25, 7, 16)
    assert o["quarantined_by_reason"]["malformed_record"] == 8
    assert o["quarantined_by_reason"]["unknown_customer_id"] == 1
    assert report["totals"]["rows_read"] == 25 + 7 + 3


def test_report_lists_every_file_with_its_problems(batch):
    _, report = batch
    files = {f["path"]: f for f in report["datasets"]["orders"]["files"]}
    assert "raw/orders/notes.txt" not in files
    assert files["raw/orders/empty.csv"] == {"path": "raw/orders/empty.csv", "rows_read": 0, "rows_quarantined": 0, "problems": ["empty file"]}
    assert files["raw/orders/header_only.csv"]["rows_read"] == 0
    assert files["raw/orders/missing_column.csv"]["problems"] == ["header is missing columns: revenue"]
    assert files["raw/orders/extra_column.csv"]["problems"] == ["header has unexpected columns: coupon"]
    assert files["raw/orders/more orders.csv"]["rows_read"] == 1
    assert report["datasets"]["orders"]["files_processed"] == 11


def test_report_lists_partitions_written(batch):
    lake, report = batch
    assert report["datasets"]["orders"]["partitions_written"] == lake.partitions("orders")
    assert report["datasets"]["customers"]["partitions_written"] == []
    assert report["totals"]["partitions_written"] == 7


def test_report_is_written_last(batch):
    lake, report = batch
    report_file = lake.root / f"quality_reports/batch/{RUN}.json"
    written = [p for zone in ("curated", "quarantine") for p in (lake.root / zone).rglob("*") if p.is_file()]
    assert written and all(p.stat().st_mtime_ns <= report_file.stat().st_mtime_ns for p in written)
    assert report["status"] == "succeeded" and report["run_id"] == RUN and report["job"] == "batch"


def test_rerun_of_the_same_input_changes_no_curated_row(batch, shop, spark, tmp_path):
    lake, _ = batch
    copy = copy_lake(lake, tmp_path / "lake")
    before = {t: copy.curated(spark, t) for t in ("orders", "dim_customers", "dim_products")}
    report = shop.run("batch", spark, copy, "batch-2")
    assert {t: copy.curated(spark, t) for t in before} == before
    assert report["datasets"]["orders"]["rows_written"] == 7
    assert report["datasets"]["orders"]["superseded_by_curated"] == 0
