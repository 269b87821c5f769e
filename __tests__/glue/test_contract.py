"""What the config says is what the jobs do: trimmed values, and no row where Athena cannot see it."""

from __future__ import annotations

from lakehelpers import CUSTOMER_HEADER, ORDER_HEADER, PRODUCT_HEADER, PRODUCTS, Lake, by_id, find_quarantined, order_line


def test_values_are_trimmed_alike_for_the_rules_and_for_what_curated_stores(shop, spark, tmp_path):
    lake = Lake(tmp_path / "lake")
    lake.write_csv("customers", "customers.csv", CUSTOMER_HEADER, ["c1,Ada, ada@example.com , EU,2023-01-15", "c2,Bo,bo@example.com,EU,2023-01-15", "c3,Cy,cy@example.com,E U,2023-01-15"])
    lake.write_csv("products", "products.csv", PRODUCT_HEADER, PRODUCTS)

    shop.run("batch", spark, lake, "trim")

    customers = by_id(lake.curated(spark, "dim_customers"), "customer_id")
    assert (customers["c1"]["region"], customers["c1"]["email"]) == ("EU", "ada@example.com")
    assert {c["region"] for c in customers.values()} == {"EU"}  # " EU" is not a group of its own
    row = find_quarantined(lake.quarantine("customers", "trim"), "c3")
    assert row["_reasons"] == ["not_allowed:region"] and row["region"] == "E U"


def test_an_order_whose_year_is_outside_the_projection_range_is_quarantined_with_its_own_reason(shop, spark, tmp_path):
    lake = Lake(tmp_path / "lake")
    lake.seed_dimensions()
    lake.write_csv("orders", "orders.csv", ORDER_HEADER, [order_line("o-2019", "2019-12-31T23:59:59Z"), order_line("o-2020", "2020-01-01T00:00:00Z")])

    report = shop.run("batch", spark, lake, "range")

    assert set(by_id(lake.curated(spark, "orders"))) == {"o-2020"}
    assert find_quarantined(lake.quarantine("orders", "range"), "o-2019")["_reasons"] == ["outside_partition_range:order_ts"]
    assert report["datasets"]["orders"]["quarantined_by_reason"] == {"outside_partition_range:order_ts": 1}
