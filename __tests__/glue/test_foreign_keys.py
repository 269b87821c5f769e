"""A foreign key references the target's primary key, whatever the referencing column is called."""

from __future__ import annotations

from lakehelpers import ORDER_HEADER, Lake, by_id, find_quarantined

GIFTS = "shop_gifts.config.ts"


def test_a_foreign_key_named_unlike_the_key_it_references_is_checked_against_that_key(load_jobs, spark, tmp_path):
    jobs = load_jobs(GIFTS)
    lake = Lake(tmp_path / "lake")
    lake.seed_dimensions()  # customers c1, c2, c3
    lake.write_csv(
        "orders",
        "orders.csv",
        ORDER_HEADER + ",recipient_id",
        ["o1,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00,c2", "o2,c1,p1,2024-03-01T11:00:00Z,2,25.00,50.00,c9", "o3,c1,p1,2024-03-01T12:00:00Z,2,25.00,50.00,"],
    )

    jobs.run("batch", spark, lake, "gifts")

    assert set(by_id(lake.curated(spark, "orders"))) == {"o1", "o3"}  # no recipient is not a gift, and fine
    assert find_quarantined(lake.quarantine("orders", "gifts"), "o2")["_reasons"] == ["unknown_recipient_id"]
