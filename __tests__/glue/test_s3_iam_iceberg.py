"""Iceberg tables on ``s3://`` under the synthesized roles, with IAM enforced: the S3 suite's history, on Iceberg.

The estate is synthesized from ``shop_iceberg.config.ts`` (orders and
customers Iceberg), so each job runs with exactly the role Terraform would
give it for Iceberg tables. Iceberg writes data and metadata files through
the same S3 file system as the Parquet jobs (S3A here; S3FileIO on Glue, which
makes a subset of these calls: no listings), and commits to a local JDBC
catalog standing in for the Glue catalog, whose permissions
(``glue:GetTable``/``UpdateTable``) moto does not enforce. The history must
count exactly as the Parquet history does on a folder, and leave the same rows.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest

import iceberg_local
from awslake import Account, S3Lake, account_on_own_server
from conftest import FIXTURES
from lakehelpers import DATABASE, Lake, assert_accounted, by_id
from local_s3 import use_credentials
from s3history import counts, play_history

CONFIG = "shop_iceberg.config.ts"
BATCH, INCREMENTAL = "icetest-dev-batch", "icetest-dev-incremental"
TABLES = ("orders", "dim_customers", "dim_products")


@pytest.fixture(scope="module")
def account(spark, tmp_path_factory) -> Iterator[Account]:
    """The Iceberg estate's account, on a moto server of its own (see ``account_on_own_server``)."""
    with account_on_own_server(tmp_path_factory.mktemp("moto-iceberg"), FIXTURES / CONFIG, spark) as account:
        yield account


@pytest.fixture(scope="module")
def jobs(load_jobs):
    return load_jobs(CONFIG)


@pytest.fixture(scope="module")
def s3_history(jobs, spark, account, tmp_path_factory):
    lake = S3Lake(account)
    lake.iceberg_catalog_file = str(tmp_path_factory.mktemp("s3-iceberg-catalog") / "catalog.sqlite")
    roles = {"batch": BATCH, "incremental": INCREMENTAL}
    with pytest.MonkeyPatch.context() as patch:
        reports = play_history(jobs, spark, lake, lambda job: use_credentials(spark, account.credentials(roles[job])), patch, "after_commit")
    use_credentials(spark, account.operator)
    return lake, reports


@pytest.fixture(scope="module")
def parquet_folder_history(shop, spark, tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("parquet-folder-history") / "lake")
    with pytest.MonkeyPatch.context() as patch:
        return lake, play_history(shop, spark, lake, lambda job: None, patch)


def rows(spark, lake, table: str) -> List[Dict[str, Any]]:
    """A curated table's rows: an Iceberg table through the lake's catalog (as the operator), Parquet by path."""
    if isinstance(lake, S3Lake) and table != "dim_products":
        iceberg_local.use_lake_catalog(spark, lake.root, lake.iceberg_catalog_file)
        found = [r.asDict() for r in spark.table(f"{iceberg_local.CATALOG}.{DATABASE}.{table}").collect()]
    elif isinstance(lake, S3Lake):
        base = f"{lake.root}/curated/{table}"
        found = [r.asDict() for r in spark.read.option("basePath", base).parquet(base).collect()]
    else:
        return lake.curated(spark, table)
    return sorted(found, key=lambda r: str(next(iter(r.values()))))


def test_every_iceberg_run_succeeds_under_its_role_and_its_report_balances(s3_history):
    _, reports = s3_history
    assert list(reports) == ["batch-1", "tick-1", "tick-2", "tick-3", "rerun", "after-crash"]
    for report in reports.values():
        assert_accounted(report)


def without_partitions(run_counts: Dict[str, Any]) -> Dict[str, Any]:
    return {name: {k: v for k, v in d.items() if k != "partitions_written"} for name, d in run_counts.items()}


def test_iceberg_runs_on_s3_count_exactly_as_parquet_runs_on_a_folder(s3_history, parquet_folder_history):
    _, on_s3 = s3_history
    _, on_folder = parquet_folder_history
    before_crash = [run for run in on_s3 if run != "after-crash"]
    assert {run: counts(on_s3[run]) for run in before_crash} == {run: counts(on_folder[run]) for run in before_crash}
    assert without_partitions(counts(on_s3["after-crash"])) == without_partitions(counts(on_folder["after-crash"]))


def test_the_rerun_after_a_killed_commit_touches_only_the_partitions_the_commit_wrote(s3_history, parquet_folder_history):
    # The killed Parquet run left o1 in its old partition (day 1) and its new one (day 2): the rerun
    # rewrites both. The killed Iceberg commit was atomic: o1 is only in day 2, so day 1 is not touched.
    _, on_s3 = s3_history
    _, on_folder = parquet_folder_history
    assert on_s3["after-crash"]["datasets"]["orders"]["partitions_written"] == ["year=2024/month=3/day=2", "year=2024/month=3/day=3"]
    assert on_folder["after-crash"]["datasets"]["orders"]["partitions_written"] == [
        "year=2024/month=3/day=1", "year=2024/month=3/day=2", "year=2024/month=3/day=3",
    ]


@pytest.mark.parametrize("table", TABLES)
def test_iceberg_tables_on_s3_hold_the_rows_parquet_holds_on_a_folder(s3_history, parquet_folder_history, spark, table):
    s3_lake, _ = s3_history
    folder_lake, _ = parquet_folder_history
    try:
        assert rows(spark, s3_lake, table) == rows(spark, folder_lake, table)
    finally:
        use_credentials(spark, s3_lake.account.operator)


def test_the_iceberg_table_lives_in_its_curated_folder_on_s3(s3_history):
    lake, _ = s3_history
    keys = lake.keys("curated/orders/")
    assert any(k.startswith("curated/orders/metadata/") and k.endswith(".metadata.json") for k in keys)
    assert any(k.startswith("curated/orders/data/year=2024/month=3/") and k.endswith(".parquet") for k in keys)


def test_the_latest_version_of_each_order_wins_in_the_iceberg_table_on_s3(s3_history, spark):
    lake, _ = s3_history
    orders = by_id(rows(spark, lake, "orders"))
    assert sorted(orders) == ["o1", "o10", "o11", "o12", "o13", "o2", "o3"]
    assert (orders["o10"]["quantity"], orders["o11"]["quantity"], orders["o1"]["quantity"]) == (4, 2, 3)


def test_a_rerun_with_nothing_new_leaves_the_iceberg_table_as_it_was_on_s3(s3_history):
    _, reports = s3_history
    assert reports["rerun"]["totals"]["rows_read"] == 0
    assert reports["rerun"]["_curated_unchanged"]  # no new data or metadata object


def test_a_run_killed_after_its_commit_is_completed_by_the_rerun_on_s3(s3_history):
    lake, reports = s3_history
    assert not lake.exists("quality_reports/incremental/crashed.json")
    assert not lake.exists("_system/manifests/orders/crashed.json")
    assert reports["after-crash"]["datasets"]["orders"]["rows_written"] == 2


def test_the_incremental_role_cannot_write_the_iceberg_table_it_only_reads(account):
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="AccessDenied"):
        account.s3(INCREMENTAL).put_object(Bucket=account.bucket, Key="curated/dim_customers/metadata/forged.metadata.json", Body=b"{}")
