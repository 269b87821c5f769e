"""A 25-dataset lake on ``s3://`` under the synthesized roles, IAM enforced: the split into jobs holds on AWS's terms.

``shop_scale.config.ts`` has 25 datasets in jobs of 20: ``gluescale-dev-batch``
(20 datasets; its grants outgrow its inline policy, so part of them are in
managed policies attached to its role) and ``gluescale-dev-batch-2`` (5), and
the incremental job, in a shared bucket: the system keys (reports, manifests,
scratch) are under ``teams/shop/``. Each runs on local Spark through S3A with
only its own role's credentials and its synthesized ``--system_prefix``, on a
server that checks every call against the role's inline and attached
policies. The runs must count and write exactly as the same runs on a folder,
no job may reach another job's datasets, and no role may write system keys
outside the estate's prefix.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List

import pytest
from botocore.exceptions import ClientError

from awslake import Account, S3Lake, account_on_own_server
from conftest import FIXTURES
from lakehelpers import PRODUCT_HEADER, Lake
from local_s3 import use_credentials
from s3history import TICKS, counts, seed

CONFIG = "shop_scale.config.ts"
CATALOGS = [f"catalog_{i:03d}" for i in range(1, 23)]
ROLES = {"batch": "gluescale-dev-batch", "batch-2": "gluescale-dev-batch-2", "incremental": "gluescale-dev-incremental"}
SYSTEM_PREFIX = "teams/shop/"  # storage.systemPrefix of the fixture config
TABLES = ["dim_customers", "dim_products", "orders", *[f"dim_{c}" for c in CATALOGS]]


@pytest.fixture(scope="module")
def account(spark, tmp_path_factory) -> Iterator[Account]:
    """The 25-dataset estate's account, on a moto server of its own (see ``account_on_own_server``)."""
    with account_on_own_server(tmp_path_factory.mktemp("moto-scale"), FIXTURES / CONFIG, spark) as account:
        yield account


@pytest.fixture(scope="module")
def jobs(load_jobs):
    return load_jobs(CONFIG)


def play(jobs, spark, lake, run_as) -> Dict[str, Dict[str, Any]]:
    """Seeds every dataset (a catalogue has one bad row each), runs both batch jobs, then one dirty feed tick."""
    seed(lake)
    for name in CATALOGS:
        lake.write_csv(name, f"{name}.csv", PRODUCT_HEADER, [f"{name}-1,Thing,home,3.50", f"{name}-2,Broken,home,-1.00"])
    reports = {}
    for job in ("batch", "batch-2"):
        run_as(job)
        reports[job] = jobs.run("batch", spark, lake, f"{job}-1", lake_job=job)
    name, lines = TICKS["tick-1"]
    lake.write_feed(name, lines)
    run_as("incremental")
    reports["incremental"] = jobs.run("incremental", spark, lake, "tick-1")
    return reports


@pytest.fixture(scope="module")
def s3_runs(jobs, spark, account):
    lake = S3Lake(account)
    reports = play(jobs, spark, lake, lambda job: use_credentials(spark, account.credentials(ROLES[job])))
    use_credentials(spark, account.operator)
    return lake, reports


@pytest.fixture(scope="module")
def folder_runs(jobs, spark, tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("scale-folder") / "lake", system_prefix=SYSTEM_PREFIX)
    return lake, play(jobs, spark, lake, lambda job: None)


def curated_rows(spark, root: str, table: str) -> List[Dict[str, Any]]:
    base = f"{root}/curated/{table}"
    return sorted((r.asDict() for r in spark.read.option("basePath", base).parquet(base).collect()), key=lambda r: str(sorted(r.items())))


def test_the_batch_role_holds_part_of_its_grants_in_managed_policies(account):
    role = account.roles()[ROLES["batch"]]
    assert role["policies"] and role["managedPolicies"], "the 20-dataset batch role should overflow its inline policy"
    assert not account.roles()[ROLES["batch-2"]]["managedPolicies"]


def test_each_batch_job_processes_its_own_datasets_under_its_role(s3_runs):
    _, reports = s3_runs
    assert list(reports["batch"]["datasets"]) == ["customers", "products", "orders", *CATALOGS[:17]]
    assert list(reports["batch-2"]["datasets"]) == CATALOGS[17:]
    assert list(reports["incremental"]["datasets"]) == ["orders"]


def test_the_runs_on_s3_count_exactly_as_on_a_folder(s3_runs, folder_runs):
    assert {job: counts(r) for job, r in s3_runs[1].items()} == {job: counts(r) for job, r in folder_runs[1].items()}
    # Something was quarantined in every catalogue: the counts are not trivially equal.
    assert all(folder_runs[1]["batch-2"]["datasets"][c]["rows_quarantined"] == 1 for c in CATALOGS[17:])


@pytest.mark.parametrize("table", TABLES[:4] + TABLES[-2:])
def test_every_curated_table_on_s3_holds_the_rows_it_holds_on_a_folder(s3_runs, folder_runs, spark, table):
    s3_rows = curated_rows(spark, s3_runs[0].root, table)
    assert s3_rows and s3_rows == curated_rows(spark, str(folder_runs[0].root), table)


def test_a_job_role_cannot_read_or_list_the_datasets_of_another_job(account, s3_runs):
    s3 = account.s3(ROLES["batch-2"])
    for key in ("raw/customers/customers.csv", "curated/dim_customers/"):
        with pytest.raises(ClientError) as refused:
            s3.get_object(Bucket=account.bucket, Key=key)
        assert refused.value.response["Error"]["Code"] in ("AccessDenied", "403")
    with pytest.raises(ClientError):
        s3.list_objects_v2(Bucket=account.bucket, Prefix="raw/customers/")
    # Its own datasets it reaches.
    assert s3.list_objects_v2(Bucket=account.bucket, Prefix=f"raw/{CATALOGS[-1]}/")["KeyCount"] == 1


def test_every_synthesized_job_runs_with_the_shared_buckets_system_prefix(account):
    assert {job: spec["defaultArguments"].get("--system_prefix") for job, spec in account.estate["glueJobs"].items()} == {
        role: SYSTEM_PREFIX for role in ROLES.values()
    }


def test_reports_and_manifests_land_under_the_system_prefix_and_nothing_at_the_root(s3_runs):
    lake, _ = s3_runs
    assert lake.keys(f"{SYSTEM_PREFIX}quality_reports/batch-2/") == [f"{SYSTEM_PREFIX}quality_reports/batch-2/batch-2-1.json"]
    assert lake.keys(f"{SYSTEM_PREFIX}_system/manifests/orders/") == [f"{SYSTEM_PREFIX}_system/manifests/orders/tick-1.json"]
    assert lake.keys("quality_reports/") == [] and lake.keys("_system/") == []


@pytest.mark.parametrize("key", ["quality_reports/batch/forged.json", "_system/manifests/orders/forged.json", "teams/other/quality_reports/batch/forged.json"])
def test_a_job_role_cannot_write_system_keys_outside_its_prefix(account, s3_runs, key):
    with pytest.raises(ClientError) as refused:
        account.s3(ROLES["incremental"]).put_object(Bucket=account.bucket, Key=key, Body=b"{}")
    assert refused.value.response["Error"]["Code"] in ("AccessDenied", "403")
